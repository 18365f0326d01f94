import { z } from "zod";
import { route } from "@/lib/api/route";
import { updateWorkflowInputSchema } from "@/lib/schemas/workflow";
import { deleteWorkflow, getWorkflow, updateWorkflow } from "@/lib/workflows/workflows";

const params = z.object({ id: z.string().min(1).max(64) });

export const GET = route({ permission: "workflows:read", params }, async ({ ctx, params }) =>
  getWorkflow(ctx.workspace.id, params.id),
);

/** Rename or describe. */
export const PATCH = route(
  { permission: "workflows:write", params, body: updateWorkflowInputSchema },
  async ({ ctx, params, body }) => updateWorkflow(ctx.workspace.id, ctx.user.id, params.id, body),
);

/** To the bin, restorable for 30 days. */
export const DELETE = route({ permission: "workflows:write", params }, async ({ ctx, params }) => {
  await deleteWorkflow(ctx.workspace.id, ctx.user.id, params.id);
  return { ok: true };
});
