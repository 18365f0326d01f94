import { z } from "zod";
import { route } from "@/lib/api/route";
import { updateVariableInputSchema } from "@/lib/schemas/variables";
import { deleteVariable, updateVariable } from "@/lib/workspaces/variables";

const params = z.object({ id: z.string().min(1).max(64) });

/** A variable's new value, or a secret's rotation: runs read it from then on, with no workflow edit. */
export const PUT = route(
  { permission: "workspace:admin", params, body: updateVariableInputSchema },
  async ({ ctx, params, body }) => updateVariable(ctx, params.id, body.value),
);

export const DELETE = route({ permission: "workspace:admin", params }, async ({ ctx, params }) =>
  deleteVariable(ctx, params.id),
);
