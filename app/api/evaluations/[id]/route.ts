import { z } from "zod";
import { route } from "@/lib/api/route";
import { getEvaluation } from "@/lib/evaluations/read-evaluations";

/** An evaluation: its progress, each case's result, pass rate, cost and latency. */
export const GET = route(
  { permission: "workflows:read", params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => ({ evaluation: await getEvaluation(ctx.workspace.id, params.id) }),
);
