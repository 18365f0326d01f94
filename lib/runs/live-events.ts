import "server-only";
import { logger } from "../log/logger";
import { env } from "../config/env";
import { MAX_PAYLOAD_BYTES, onReconnect, publishSoon, subscribe } from "../platform/channels";
import { processSingleton } from "../process/singleton";
import type { RunStreamEvent } from "../schemas/run";
import { EventEmitter } from "node:events";

/**
 * Fan-out of run events to open SSE streams, in every process. Events are stored first
 * (RunEvent) and then published on the `runEvents` channel (lib/platform), which every process
 * hears (the run may execute in a worker on another machine).
 *
 * An event too big for a NOTIFY travels as `{ seq, truncated }`, and a stream that sees a gap
 * in the sequence (or a reconnect of the LISTEN connection) reads the missing events from the
 * table: the table is the truth, notifications only say "look now".
 */
export type LiveRunEvent = RunStreamEvent & { truncated?: boolean };

/** Per run id, the streams following it in this process. */
const byRun = () => processSingleton("run-event-streams", () => new EventEmitter().setMaxListeners(0));

/** Publishes one event. Notifications leave in the order they were published. */
export function publishRunEvent(runId: string, event: RunStreamEvent): void {
  let payload = JSON.stringify({ runId, event });
  // The embedded database's one process hears its own events whole; NOTIFY's limit is PostgreSQL's.
  if (env().DATABASE_URL && Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
    if (event.seq === undefined) return; // a token delta that large: the stored output will carry it
    payload = JSON.stringify({
      runId,
      event: { seq: event.seq, type: event.type, nodeId: event.nodeId, truncated: true },
    });
  }
  publishSoon("runEvents", payload);
}

/** Hears every process's run events; started once per process, on first subscribe. */
function listen(): Promise<unknown> {
  return processSingleton("run-events-listening", () =>
    subscribe("runEvents", (text) => {
      try {
        const { runId, event } = JSON.parse(text) as { runId: string; event: LiveRunEvent };
        byRun().emit(runId, event);
      } catch (error) {
        logger().warn({ err: error }, "unreadable run event notification");
      }
    }),
  );
}

/**
 * Follows one run's live events. `onResync` is called when notifications may have been missed
 * (the LISTEN connection dropped and came back): read the table again.
 */
export async function subscribeRunEvents(
  runId: string,
  listener: (event: LiveRunEvent) => void,
  onResync?: () => void,
): Promise<() => void> {
  await listen();
  const offReconnect = onResync ? await onReconnect(onResync) : () => {};
  byRun().on(runId, listener);
  return () => {
    byRun().off(runId, listener);
    offReconnect();
  };
}

/** How many live-event listeners this process holds, over all runs (tests check none is left behind). */
export function runEventListenerCount(): number {
  const emitter = byRun();
  return emitter.eventNames().reduce((sum, name) => sum + emitter.listenerCount(name), 0);
}
