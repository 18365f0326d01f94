import { json, route } from "@/lib/api/route";
import { createMemberInputSchema } from "@/lib/schemas/identity";
import { createMember, listMembers } from "@/lib/workspaces/members";

export const GET = route({ permission: "workspace:admin" }, async ({ ctx }) => ({
  members: await listMembers(ctx.workspace.id),
}));

export const POST = route({ permission: "workspace:admin", body: createMemberInputSchema }, async ({ ctx, body }) =>
  json(await createMember({ workspaceId: ctx.workspace.id, userId: ctx.user.id }, body), 201),
);
