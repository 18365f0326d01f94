import { z } from "zod";
import { route } from "@/lib/api/route";
import { revokeInvitation } from "@/lib/workspaces/invitations";

export const DELETE = route(
  { permission: "workspace:admin", params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => {
    await revokeInvitation({ workspaceId: ctx.workspace.id, userId: ctx.user.id }, params.id);
    return { ok: true };
  },
);
