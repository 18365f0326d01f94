import { json, route } from "@/lib/api/route";
import { createVariableInputSchema } from "@/lib/schemas/variables";
import { createVariable } from "@/lib/workspaces/variables";

/** A new variable or secret of the workspace (audited; a secret is sealed and never shown again). */
export const POST = route({ permission: "workspace:admin", body: createVariableInputSchema }, async ({ ctx, body }) =>
  json(await createVariable(ctx, body), 201),
);
