import { z } from "zod";
import { jsonResponse, servedByLane } from "@/lib/api/read-body";
import { route } from "@/lib/api/route";
import { sse, wantsEventStream } from "@/lib/api/sse";
import { runEventStream } from "@/lib/runs/run-event-stream";
import { listRuns } from "@/lib/runs/read-runs";
import { startRun } from "@/lib/runs/start-run";
import { runTriggerSchema, startRunInputSchema } from "@/lib/schemas/run";

const params = z.object({ id: z.string().min(1).max(64) });

/** The workflow's runs, newest first; `?trigger=webhook` only those a webhook started (and so on). */
export const GET = route(
  { permission: "workflows:read", apiKey: true, params, query: z.object({ trigger: runTriggerSchema.optional() }) },
  async ({ ctx, params, query }) => ({
    runs: await listRuns(ctx.workspace.id, params.id, { trigger: query.trigger }),
  }),
);

/**
 * Start a run; 400 names a graph problem or a wrong input field. With `Accept:
 * text/event-stream` the answer (201, `Location` the run) is the run's event stream, from its
 * first event to its end: start and follow in one request.
 */
export const POST = route(
  { permission: "workflows:write", apiKey: true, params, body: startRunInputSchema },
  async ({ ctx, params, body, request }) => {
    const run = await startRun(ctx, params.id, body);
    if (!wantsEventStream(request)) return jsonResponse(JSON.stringify(run), servedByLane(request), { status: 201 });
    return sse(await runEventStream(ctx.workspace.id, run.id, 0, request.signal, { known: true }), {
      status: 201,
      headers: { location: `/api/runs/${run.id}`, "x-run-id": run.id },
    });
  },
);
