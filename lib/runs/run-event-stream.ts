import "server-only";
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
 * The replay is also the lookup: a run that does not exist, or is another workspace's, is a 404
 * before the stream opens, its subscription dropped; whatever way a stream ends (its end, the
 * browser leaving, an error), its subscription, ping timer and abort listener go with it
 * (`openRunEventStreams` counts them). Events ready together go out as one write.
 */
export async function runEventStream(
  workspaceId: string,
  runId: string,
  after: number,
  signal: AbortSignal,
  /**
   * The caller just created the run in this workspace (a start answered with its stream): the
   * answer goes at once and the subscription and replay happen in the stream, so a database
   * fault there breaks the stream rather than answering an error for a run that did start.
   */
  options: { known?: boolean } = {},
): Promise<ReadableStream<Uint8Array>> {
  const prepared = options.known ? null : await subscribeAndReplay(workspaceId, runId, after);
  const encoder = new TextEncoder();
  const format = (e: RunStreamEvent) => `${e.seq !== undefined ? `id: ${e.seq}\n` : ""}data: ${JSON.stringify(e)}\n\n`;
  let closed = false;
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
      let sent = after;
      let filling: Promise<void> = Promise.resolve();
      // What is ready goes out together, at the end of this turn: one write, not one per event.
      let pending = "";
      const flush = () => {
        if (closed || !pending) return;
        const text = pending;
        pending = "";
        controller.enqueue(encoder.encode(text));
      };
      const send = (text: string) => {
        if (!pending) queueMicrotask(flush);
        pending += text;
      };
      const close = () => {
        if (closed) return;
        flush();
        closed = true;
        stop();
        controller.close();
      };
      try {
        const ready = prepared ?? (await subscribeAndReplay(workspaceId, runId, after));
        if (released) return ready.unsubscribe(); // cancelled while it subscribed
        listeners.push(ready.unsubscribe, ready.mute);
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
          send(format(e));
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
        const ping = setInterval(() => !closed && send(": ping\n\n"), 15_000);
        listeners.push(() => clearInterval(ping));
        send("retry: 1000\n\n");
        for (const e of ready.replay.events) emit(e as RunStreamEvent);
        ready.route(follow, readMissing);
        if (!closed && isEnded(ready.replay.status) && ready.replay.events.length === 0) close();
      } catch (error) {
        stop();
        if (closed) return;
        closed = true;
        controller.error(error);
      }
    },
    cancel() {
      closed = true;
      stop();
    },
  });
}

/**
 * Subscribes to a run's live events, then replays what is stored after `after`: a run not in
 * the workspace throws a 404, as a failed replay throws, with its subscription dropped. Live
 * events are held until `route` says where they go.
 */
async function subscribeAndReplay(workspaceId: string, runId: string, after: number) {
  const early: LiveRunEvent[] = [];
  let onLive: (e: LiveRunEvent) => void = (e) => void early.push(e);
  let onGap = () => {};
  const unsubscribe = await subscribeRunEvents(
    runId,
    (e) => onLive(e),
    () => onGap(),
  );
  try {
    const replay = await runEventsAfter(workspaceId, runId, after);
    return {
      replay,
      unsubscribe,
      /** From now on live events go to `live` (those held first) and gaps to `gap`. */
      route(live: (e: LiveRunEvent) => void, gap: () => void) {
        onLive = live;
        onGap = gap;
        for (const e of early.splice(0)) live(e);
      },
      mute() {
        onLive = () => {};
        onGap = () => {};
      },
    };
  } catch (error) {
    unsubscribe();
    throw error;
  }
}

const open = () => processSingleton("run-event-streams-open", () => new Set<object>());

/** How many run event streams this process holds open (each with one subscription and one ping timer). */
export const openRunEventStreams = (): number => open().size;
