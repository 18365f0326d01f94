import { z } from "zod";
import { json, route } from "@/lib/api/route";
import { listEvaluations } from "@/lib/evaluations/read-evaluations";
import { startEvaluation } from "@/lib/evaluations/run-evaluation";
import { startEvaluationSchema } from "@/lib/schemas/evaluations";

const params = z.object({ id: z.string().min(1).max(64) });

/** The workflow's last evaluations, newest first. */
export const GET = route({ permission: "workflows:read", params }, async ({ ctx, params }) => ({
  evaluations: await listEvaluations(ctx.workspace.id, params.id),
}));

/** Starts an evaluation of every test case on the draft or a version. */
export const POST = route(
  { permission: "workflows:write", params, body: startEvaluationSchema },
  async ({ ctx, params, body }) => json(await startEvaluation(ctx, params.id, body), 201),
);
