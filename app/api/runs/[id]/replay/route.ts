import { z } from "zod";
import { json, route } from "@/lib/api/route";
import { replayRun } from "@/lib/runs/replay-run";
import { replayRunInputSchema } from "@/lib/schemas/run";

/** "Replay from here": a new run from a chosen step of an ended run, the steps before it reused. */
export const POST = route(
  {
    permission: "workflows:write",
    apiKey: true,
    params: z.object({ id: z.string().min(1).max(64) }),
    body: replayRunInputSchema,
  },
  async ({ ctx, params, body }) => json(await replayRun(ctx, params.id, body), 201),
);
