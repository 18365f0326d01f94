import { z } from "zod";
import { route } from "@/lib/api/route";
import { updateMemberInputSchema } from "@/lib/schemas/identity";
import { updateMember } from "@/lib/workspaces/members";

export const PATCH = route(
  { permission: "workspace:admin", params: z.object({ id: z.string().min(1).max(64) }), body: updateMemberInputSchema },
  async ({ ctx, params, body }) =>
    updateMember({ workspaceId: ctx.workspace.id, userId: ctx.user.id }, params.id, body),
);
