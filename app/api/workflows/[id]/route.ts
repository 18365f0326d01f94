import { z } from "zod";
import { route } from "@/lib/api/route";
import { gatewayChanged } from "@/lib/gateway/config";
import { updateWorkflowInputSchema } from "@/lib/schemas/workflow";
import { deleteWorkflow, getWorkflow, updateWorkflow } from "@/lib/workflows/workflows";

const params = z.object({ id: z.string().min(1).max(64) });

export const GET = route({ permission: "workflows:read", params }, async ({ ctx, params }) =>
  getWorkflow(ctx.workspace.id, params.id),
);

/** Rename or describe; offer as a tool; set or clear the cost cap per run. */
export const PATCH = route(
  { permission: "workflows:write", params, body: updateWorkflowInputSchema },
  async ({ ctx, params, body }) => {
    const updated = await updateWorkflow(ctx.workspace.id, ctx.user.id, params.id, body);
    // The gateway reads run cost caps with the workspace's models and limits: read afresh everywhere.
    if (body.maxRunCostUsd !== undefined || body.costCapAction !== undefined) await gatewayChanged(ctx.workspace.id);
    return updated;
  },
);

/** To the bin, restorable for 30 days. */
export const DELETE = route({ permission: "workflows:write", params }, async ({ ctx, params }) => {
  await deleteWorkflow(ctx.workspace.id, ctx.user.id, params.id);
  return { ok: true };
});
