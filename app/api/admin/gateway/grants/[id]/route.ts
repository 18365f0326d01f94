import { z } from "zod";
import { route } from "@/lib/api/route";
import { setGrantAccess } from "@/lib/gateway/teams";
import { grantAccessSchema } from "@/lib/schemas/teams";

/** Who in this workspace may use a granted model (the workspace's admins decide). */
export const PUT = route(
  { permission: "workspace:admin", params: z.object({ id: z.string().min(1).max(64) }), body: grantAccessSchema },
  async ({ ctx, params, body }) => setGrantAccess(ctx, params.id, body),
);
