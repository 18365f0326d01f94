import { z } from "zod";
import { route } from "@/lib/api/route";
import { sse } from "@/lib/api/sse";
import { runEventStream } from "@/lib/runs/run-event-stream";
import { storedIntText } from "@/lib/schemas/storable";
import { AppError } from "@/lib/errors/app-error";

/** Last-Event-ID, as EventSource sends back the id of the last event it got: a stored event's number. */
function lastEventId(request: Request): number | undefined {
  const header = request.headers.get("last-event-id");
  if (header === null || header === "") return undefined;
  const parsed = storedIntText(0).safeParse(header);
  if (!parsed.success)
    throw new AppError("bad_request", "headers.last-event-id: not the number of an event of this run.", {
      fields: [{ path: "headers.last-event-id", message: "not an event's number" }],
    });
  return parsed.data;
}

export const dynamic = "force-dynamic";

/** Server-Sent Events of a run, replayed after Last-Event-ID (or ?after=), then live; 404 (before the stream opens) for a run not in this workspace. */
export const GET = route(
  {
    permission: "workflows:read",
    apiKey: true,
    params: z.object({ id: z.string().min(1).max(64) }),
    query: z.object({ after: storedIntText(0).optional() }),
  },
  async ({ ctx, params, query, request }) =>
    sse(await runEventStream(ctx.workspace.id, params.id, lastEventId(request) ?? query.after ?? 0, request.signal)),
);
