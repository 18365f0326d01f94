import { z } from "zod";
import { route } from "@/lib/api/route";
import { subscribeRunEvents, type LiveRunEvent } from "@/lib/runs/live-events";
import { runEventsAfter } from "@/lib/runs/read-runs";
import type { RunStreamEvent } from "@/lib/schemas/run";

export const dynamic = "force-dynamic";

const ENDED = new Set(["run.completed", "run.failed", "run.cancelled"]);

/**
 * Server-Sent Events of a run: replays stored events after Last-Event-ID (or ?after=), then
 * follows new ones and the live token deltas, wherever the run executes. Subscribing before
 * the replay, and dropping live events already sent, means nothing falls between the two; a
 * gap in the sequence (an event too big to notify, a dropped LISTEN connection) is filled from
 * the table, so events always reach the browser complete and in order.
 */
export const GET = route(
  { permission: "workflows:read", apiKey: true, params: z.object({ id: z.string().min(1).max(64) }), query: z.object({ after: z.coerce.number().int().min(0).optional() }) },
  async ({ ctx, params, query, request }) => {
    const after = Number(request.headers.get("last-event-id") ?? query.after ?? 0) || 0;
    const encoder = new TextEncoder();
    const format = (e: RunStreamEvent) => `${e.seq !== undefined ? `id: ${e.seq}\n` : ""}data: ${JSON.stringify(e)}\n\n`;
    let stop = () => {};
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const buffered: LiveRunEvent[] = [];
        let sent = after;
        let live = false;
        let closed = false;
        let filling: Promise<void> = Promise.resolve();
        const close = () => {
          if (closed) return;
          closed = true;
          stop();
          controller.close();
        };
        const emit = (e: RunStreamEvent) => {
          if (closed) return;
          if (e.seq !== undefined) {
            if (e.seq <= sent) return;
            sent = e.seq;
          }
          controller.enqueue(encoder.encode(format(e)));
          if (ENDED.has(e.type)) close();
        };
        const readMissing = () => {
          filling = filling.then(async () => {
            if (closed) return;
            const { events } = await runEventsAfter(ctx.workspace.id, params.id, sent);
            for (const e of events) emit(e as RunStreamEvent);
          }).catch(() => undefined);
        };
        const follow = (e: LiveRunEvent) => {
          if (closed) return;
          if (e.seq === undefined) return emit(e);
          if (e.seq <= sent) return;
          if (e.truncated || e.seq > sent + 1) return readMissing();
          emit(e);
        };
        const unsubscribe = await subscribeRunEvents(params.id, (e) => (live ? follow(e) : buffered.push(e)), readMissing);
        const ping = setInterval(() => !closed && controller.enqueue(encoder.encode(": ping\n\n")), 15_000);
        stop = () => {
          unsubscribe();
          clearInterval(ping);
        };
        request.signal.addEventListener("abort", close);
        const { status, events } = await runEventsAfter(ctx.workspace.id, params.id, after);
        controller.enqueue(encoder.encode("retry: 1000\n\n"));
        for (const e of events) emit(e as RunStreamEvent);
        live = true;
        for (const e of buffered) follow(e);
        if (!closed && ["COMPLETED", "FAILED", "CANCELLED"].includes(status) && events.length === 0) close();
      },
      cancel() {
        stop();
      },
    });
    return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", connection: "keep-alive" } });
  },
);
