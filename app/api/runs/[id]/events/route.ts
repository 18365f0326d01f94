import { z } from "zod";
import { route } from "@/lib/api/route";
import { subscribeRunEvents } from "@/lib/runs/live-events";
import { runEventsAfter } from "@/lib/runs/read-runs";
import type { RunStreamEvent } from "@/lib/schemas/run";

export const dynamic = "force-dynamic";

const ENDED = new Set(["run.completed", "run.failed", "run.cancelled"]);

/**
 * Server-Sent Events of a run: replays stored events after Last-Event-ID (or ?after=), then
 * follows new ones and the live token deltas. Subscribing before the replay, and dropping
 * live events already replayed, means nothing falls between the two.
 */
export const GET = route(
  { permission: "workflows:read", params: z.object({ id: z.string().min(1).max(64) }), query: z.object({ after: z.coerce.number().int().min(0).optional() }) },
  async ({ ctx, params, query, request }) => {
    const after = Number(request.headers.get("last-event-id") ?? query.after ?? 0) || 0;
    const encoder = new TextEncoder();
    const format = (e: RunStreamEvent) => `${e.seq !== undefined ? `id: ${e.seq}\n` : ""}data: ${JSON.stringify(e)}\n\n`;
    let stop = () => {};
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const buffered: RunStreamEvent[] = [];
        let replayed = after;
        let live = false;
        let closed = false;
        const close = () => {
          if (closed) return;
          closed = true;
          stop();
          controller.close();
        };
        const send = (e: RunStreamEvent) => {
          if (closed) return;
          if (e.seq !== undefined) {
            if (e.seq <= replayed) return;
            replayed = e.seq;
          }
          controller.enqueue(encoder.encode(format(e)));
          if (ENDED.has(e.type)) close();
        };
        const unsubscribe = subscribeRunEvents(params.id, (e) => (live ? send(e) : buffered.push(e)));
        const ping = setInterval(() => !closed && controller.enqueue(encoder.encode(": ping\n\n")), 15_000);
        stop = () => {
          unsubscribe();
          clearInterval(ping);
        };
        request.signal.addEventListener("abort", close);
        const { status, events } = await runEventsAfter(ctx.workspace.id, params.id, after);
        controller.enqueue(encoder.encode("retry: 1000\n\n"));
        for (const e of events) send(e as RunStreamEvent);
        live = true;
        for (const e of buffered) send(e);
        if (!closed && ["COMPLETED", "FAILED", "CANCELLED"].includes(status) && events.length === 0) close();
      },
      cancel() {
        stop();
      },
    });
    return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", connection: "keep-alive" } });
  },
);
