import { json, route } from "@/lib/api/route";
import { inviteInputSchema } from "@/lib/schemas/identity";
import { inviteMember, listPendingInvitations } from "@/lib/workspaces/invitations";

export const GET = route({ permission: "workspace:admin" }, async ({ ctx }) => ({
  invitations: await listPendingInvitations(ctx.workspace.id),
}));

/** Returns the invitation's token once, for the admin to hand on as a link. */
export const POST = route({ permission: "workspace:admin", body: inviteInputSchema }, async ({ ctx, body }) =>
  json(await inviteMember({ workspaceId: ctx.workspace.id, userId: ctx.user.id }, body), 201),
);
