import "server-only";
import { EventEmitter } from "node:events";
import { database, RECONNECTED } from "../db/client";
import { logger } from "../log/logger";
import type { RunStreamEvent } from "../schemas/run";

/**
 * Fan-out of run events to open SSE streams, in every process. Events are stored first
 * (RunEvent) and then published, so a stream that replays from the table and then follows
 * loses nothing. On Postgres, publishing is a NOTIFY that every process hears (the run may
 * execute in a worker on another machine); on the embedded database there is one process, and
 * events go straight to its listeners.
 *
 * An event too big for a NOTIFY travels as `{ seq, truncated }`, and a stream that sees a gap
 * in the sequence (or a reconnect of the LISTEN connection) reads the missing events from the
 * table: the table is the truth, notifications only say "look now".
 */
export type LiveRunEvent = RunStreamEvent & { truncated?: boolean };
const CHANNEL = "flowdeck_run_events";
const MAX_NOTIFY_BYTES = 7_900;

const holder = globalThis as unknown as { __flowdeckRunEvents?: EventEmitter; __flowdeckRunEventsListening?: Promise<void>; __flowdeckNotifyChain?: Promise<void> };
function hub(): EventEmitter {
  holder.__flowdeckRunEvents ??= new EventEmitter().setMaxListeners(0);
  return holder.__flowdeckRunEvents;
}

/** Publishes one event. Notifications leave in the order they were published (one chain per process). */
export function publishRunEvent(runId: string, event: RunStreamEvent): void {
  const previous = holder.__flowdeckNotifyChain ?? Promise.resolve();
  holder.__flowdeckNotifyChain = previous.then(async () => {
    try {
      const db = await database();
      if (db.kind === "pglite") return void hub().emit(runId, event);
      let payload = JSON.stringify({ runId, event });
      if (Buffer.byteLength(payload) > MAX_NOTIFY_BYTES) {
        if (event.seq === undefined) return; // a token delta that large: the stored output will carry it
        payload = JSON.stringify({ runId, event: { seq: event.seq, type: event.type, nodeId: event.nodeId, truncated: true } });
      }
      await db.notify(CHANNEL, payload);
    } catch (error) {
      logger().warn({ err: error, runId }, "could not publish a run event");
    }
  });
}

/** Hears every process's run events (Postgres); started once per process, on first subscribe. */
function listenAcrossProcesses(): Promise<void> {
  return (holder.__flowdeckRunEventsListening ??= (async () => {
    const db = await database();
    if (db.kind === "pglite") return;
    await db.listen(CHANNEL, (text) => {
      try {
        const { runId, event } = JSON.parse(text) as { runId: string; event: LiveRunEvent };
        hub().emit(runId, event);
      } catch (error) {
        logger().warn({ err: error }, "unreadable run event notification");
      }
    });
    await db.listen(RECONNECTED, () => hub().emit(RECONNECTED, {}));
  })().catch((error) => {
    holder.__flowdeckRunEventsListening = undefined;
    throw error;
  }));
}

/**
 * Follows one run's live events. `onResync` is called when notifications may have been missed
 * (the LISTEN connection dropped and came back): read the table again.
 */
export async function subscribeRunEvents(runId: string, listener: (event: LiveRunEvent) => void, onResync?: () => void): Promise<() => void> {
  await listenAcrossProcesses();
  hub().on(runId, listener);
  const resync = () => onResync?.();
  hub().on(RECONNECTED, resync);
  return () => {
    hub().off(runId, listener);
    hub().off(RECONNECTED, resync);
  };
}
