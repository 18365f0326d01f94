import { z } from "zod";
import { route } from "@/lib/api/route";
import { previewCode } from "@/lib/runs/expression-preview";
import { codeConfigSchema } from "@/lib/schemas/node-kinds/code";
import { nodeIdSchema } from "@/lib/schemas/workflow";

/** A Code step's JavaScript run on the workflow's last run (the inspector's preview), in the sandbox, within its limits. */
export const POST = route(
  {
    permission: "workflows:write",
    params: z.object({ id: z.string().min(1).max(64) }),
    // The Loops the step is inside, outermost first: its preview reads their first items.
    body: codeConfigSchema.extend({ insideLoops: z.array(nodeIdSchema).max(10).optional() }),
  },
  async ({ ctx, params, body: { insideLoops, ...step } }) =>
    previewCode(ctx.workspace.id, params.id, step, insideLoops),
);
