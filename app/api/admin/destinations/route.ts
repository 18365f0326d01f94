import { json, route } from "@/lib/api/route";
import { addDestination, listDestinations } from "@/lib/egress/destinations";
import { hostRuleSchema } from "@/lib/egress/policy";

/** The hosts this workspace's HTTP Request steps may reach (none by default). */
export const GET = route({ permission: "workspace:admin" }, async ({ ctx }) => ({
  destinations: await listDestinations({ workspaceId: ctx.workspace.id, userId: ctx.user.id }),
}));

/** Allows a host (audited). */
export const POST = route({ permission: "workspace:admin", body: hostRuleSchema }, async ({ ctx, body }) =>
  json(await addDestination({ workspaceId: ctx.workspace.id, userId: ctx.user.id }, body), 201),
);
