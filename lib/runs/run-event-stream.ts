import "server-only";
import { isEndEvent, isEnded, type RunStreamEvent } from "../schemas/run";
import { subscribeRunEvents, type LiveRunEvent } from "./live-events";
import { runEventsAfter } from "./read-runs";

/**
 * A run's events as Server-Sent Events: replays stored events after `after` (Last-Event-ID),
 * then follows new ones and the live token deltas, wherever the run executes. Subscribing
 * before the replay, and dropping live events already sent, means nothing falls between the
 * two; a gap in the sequence (an event too big to notify, a dropped LISTEN connection) is
 * filled from the table, so events reach the browser complete and in order. Ends after the
 * run's last event, or when `signal` aborts (the browser went away).
 */
export function runEventStream(
  workspaceId: string,
  runId: string,
  after: number,
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const format = (e: RunStreamEvent) => `${e.seq !== undefined ? `id: ${e.seq}\n` : ""}data: ${JSON.stringify(e)}\n\n`;
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
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
        if (isEndEvent(e.type)) close();
      };
      const readMissing = () => {
        filling = filling
          .then(async () => {
            if (closed) return;
            const { events } = await runEventsAfter(workspaceId, runId, sent);
            for (const e of events) emit(e as RunStreamEvent);
          })
          .catch(() => undefined);
      };
      const follow = (e: LiveRunEvent) => {
        if (closed) return;
        if (e.seq === undefined) return emit(e);
        if (e.seq <= sent) return;
        if (e.truncated || e.seq > sent + 1) return readMissing();
        emit(e);
      };
      const unsubscribe = await subscribeRunEvents(runId, (e) => (live ? follow(e) : buffered.push(e)), readMissing);
      const ping = setInterval(() => !closed && controller.enqueue(encoder.encode(": ping\n\n")), 15_000);
      stop = () => {
        unsubscribe();
        clearInterval(ping);
      };
      signal.addEventListener("abort", close);
      const { status, events } = await runEventsAfter(workspaceId, runId, after);
      controller.enqueue(encoder.encode("retry: 1000\n\n"));
      for (const e of events) emit(e as RunStreamEvent);
      live = true;
      for (const e of buffered) follow(e);
      if (!closed && isEnded(status) && events.length === 0) close();
    },
    cancel() {
      stop();
    },
  });
}
