import { z } from "zod";
import { route } from "@/lib/api/route";
import { cancelEvaluation } from "@/lib/evaluations/run-evaluation";

/** Stops an evaluation: no case starts after this, and running ones are cancelled. */
export const POST = route(
  { permission: "workflows:write", params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => {
    await cancelEvaluation(ctx, params.id);
    return { ok: true };
  },
);
