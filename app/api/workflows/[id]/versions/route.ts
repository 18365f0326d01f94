import { z } from "zod";
import { json, route } from "@/lib/api/route";
import { checkGate } from "@/lib/evaluations/gate";
import { publishInputSchema } from "@/lib/schemas/workflow";
import { listVersions, publishWorkflow } from "@/lib/workflows/versions";

const params = z.object({ id: z.string().min(1).max(64) });

export const GET = route({ permission: "workflows:read", params }, async ({ ctx, params }) => ({
  versions: await listVersions(ctx.workspace.id, params.id),
}));

/**
 * Publish the draft as the next version; 400 listing the graph's problems if it has any; 409
 * when the workflow's evaluation gate does not pass (an admin may override it with a reason).
 */
export const POST = route(
  { permission: "workflows:write", params, body: publishInputSchema },
  async ({ ctx, params, body }) => {
    const gateOverride = await checkGate(ctx, params.id, body.gateOverride);
    return json(await publishWorkflow(ctx.workspace.id, ctx.user.id, params.id, { ...body, gateOverride }), 201);
  },
);
