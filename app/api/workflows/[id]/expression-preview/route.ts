import { z } from "zod";
import { route } from "@/lib/api/route";
import { previewExpression } from "@/lib/runs/expression-preview";
import { nodeIdSchema } from "@/lib/schemas/workflow";

/** A mapping tried on the workflow's last run (the Transform step's live preview), within a run's expression limits. */
export const POST = route(
  {
    permission: "workflows:write",
    params: z.object({ id: z.string().min(1).max(64) }),
    body: z.object({
      expression: z.string().min(1, "Write a mapping").max(20_000),
      /** The Loops the step is inside, outermost first: its preview reads their first items. */
      insideLoops: z.array(nodeIdSchema).max(10).optional(),
    }),
  },
  async ({ ctx, params, body }) => previewExpression(ctx.workspace.id, params.id, body.expression, body.insideLoops),
);
