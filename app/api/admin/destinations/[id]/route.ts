import { z } from "zod";
import { route } from "@/lib/api/route";
import { removeDestination } from "@/lib/egress/destinations";

/** No longer allows a host (audited); steps calling it fail from the next request on. */
export const DELETE = route(
  { permission: "workspace:admin", params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => removeDestination({ workspaceId: ctx.workspace.id, userId: ctx.user.id }, params.id),
);
