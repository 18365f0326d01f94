import "server-only";
import { EventEmitter } from "node:events";
import type { RunStreamEvent } from "../schemas/run";

/**
 * In-process fan-out of run events to open SSE streams. Events are stored first (RunEvent)
 * and then published here, so a stream that replays from the table and then follows this
 * loses nothing. Across processes this becomes LISTEN/NOTIFY (with the queue and workers).
 */
const holder = globalThis as unknown as { __flowdeckRunEvents?: EventEmitter };
function hub(): EventEmitter {
  holder.__flowdeckRunEvents ??= new EventEmitter().setMaxListeners(0);
  return holder.__flowdeckRunEvents;
}

export function publishRunEvent(runId: string, event: RunStreamEvent): void {
  hub().emit(runId, event);
}

export function subscribeRunEvents(runId: string, listener: (event: RunStreamEvent) => void): () => void {
  hub().on(runId, listener);
  return () => hub().off(runId, listener);
}
