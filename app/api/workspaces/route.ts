import { json, route } from "@/lib/api/route";
import { createWorkspaceInputSchema } from "@/lib/schemas/identity";
import { createWorkspace } from "@/lib/workspaces/workspaces";

/** An admin creates another workspace and becomes its admin. */
export const POST = route({ permission: "workspace:admin", body: createWorkspaceInputSchema }, async ({ ctx, body }) =>
  json(await createWorkspace(ctx.user.id, body.name), 201),
);
