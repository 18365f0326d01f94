import "server-only";
import { database } from "../db/client";
import { notFound } from "../errors/app-error";
import { processSingleton } from "../process/singleton";
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
 *
 * A run that does not exist, or is another workspace's, is a 404 before anything is
 * subscribed; whatever way a stream ends (its end, the browser leaving, an error), its
 * subscription, ping timer and abort listener go with it (`openRunEventStreams` counts them).
 */
export async function runEventStream(
  workspaceId: string,
  runId: string,
  after: number,
  signal: AbortSignal,
  /** The caller just created the run in this workspace: no need to look it up first. */
  options: { known?: boolean } = {},
): Promise<ReadableStream<Uint8Array>> {
  if (!options.known && !(await runExists(workspaceId, runId))) throw notFound("Run");
  const encoder = new TextEncoder();
  const format = (e: RunStreamEvent) => `${e.seq !== undefined ? `id: ${e.seq}\n` : ""}data: ${JSON.stringify(e)}\n\n`;
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const stream = {};
      open().add(stream);
      let released = false;
      const listeners: (() => void)[] = [];
      stop = () => {
        if (released) return;
        released = true;
        for (const release of listeners) release();
        open().delete(stream);
      };
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
      const onAbort = () => close();
      signal.addEventListener("abort", onAbort, { once: true });
      listeners.push(() => signal.removeEventListener("abort", onAbort));
      if (signal.aborted) return close();
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
      try {
        const unsubscribe = await subscribeRunEvents(runId, (e) => (live ? follow(e) : buffered.push(e)), readMissing);
        listeners.push(unsubscribe);
        if (released) return unsubscribe(); // the browser left while it subscribed
        const ping = setInterval(() => !closed && controller.enqueue(encoder.encode(": ping\n\n")), 15_000);
        listeners.push(() => clearInterval(ping));
        const { status, events } = await runEventsAfter(workspaceId, runId, after);
        if (closed) return;
        controller.enqueue(encoder.encode("retry: 1000\n\n"));
        for (const e of events) emit(e as RunStreamEvent);
        live = true;
        for (const e of buffered) follow(e);
        if (!closed && isEnded(status) && events.length === 0) close();
      } catch (error) {
        stop();
        closed = true;
        controller.error(error);
      }
    },
    cancel() {
      stop();
    },
  });
}

const open = () => processSingleton("run-event-streams-open", () => new Set<object>());

/** How many run event streams this process holds open (each with one subscription and one ping timer). */
export const openRunEventStreams = (): number => open().size;

async function runExists(workspaceId: string, runId: string): Promise<boolean> {
  const rows = await (
    await database()
  ).sql.query('SELECT 1 FROM "Run" WHERE "id" = $1 AND "workspaceId" = $2', [runId, workspaceId]);
  return rows.length > 0;
}
