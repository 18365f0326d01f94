import "server-only";
import { logger } from "../log/logger";
import {
  CHANNELS,
  MAX_PAYLOAD_BYTES,
  onReconnect,
  publishSoon,
  publishUnchained,
  subscribe,
} from "../platform/channels";
import { processSingleton } from "../process/singleton";
import type { RunStreamEvent } from "../schemas/run";
import { EventEmitter } from "node:events";

/**
 * Fan-out of run events to open SSE streams, in every process. Events are stored first
 * (RunEvent) and published on the `runEvents` channel (lib/platform), which every process
 * hears (the run may execute in a worker on another machine). On PostgreSQL the statement that
 * stores events also notifies (`notifyFollowersSql`), so the wake-up is part of the same commit;
 * on the embedded database (one process) they are handed to this process's followers.
 *
 * A notification is `{ runId, events }`. Events too big for one travel as the last one's
 * `{ seq, truncated }`, and a stream that sees a gap in the sequence (or a reconnect of the
 * LISTEN connection) reads the missing events from the table: the table is the truth,
 * notifications only say "look now". Token deltas are not stored: `runDeltas` batches them per
 * run, one notification every 50 ms at most.
 */
export type LiveRunEvent = RunStreamEvent & { truncated?: boolean };

interface Notification {
  runId: string;
  events: LiveRunEvent[];
}

/** Per run id, the streams following it in this process. */
const byRun = () => processSingleton("run-event-streams", () => new EventEmitter().setMaxListeners(0));

/**
 * The CTEs `message` and `notified` that NOTIFY a run's followers, in the statement that stores
 * the events: `source` is a CTE of the stored rows (seq, type, nodeId, payload), `runIdParam`
 * the parameter holding the run id. Reference `notified` in the final SELECT so it runs.
 */
export function notifyFollowersSql(source: string, runIdParam: string): string {
  const event = `jsonb_build_object('seq', a."seq", 'type', a."type")
      || CASE WHEN a."nodeId" IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('nodeId', a."nodeId") END
      || CASE WHEN a."payload" IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('payload', a."payload") END`;
  return `message AS (
  SELECT json_build_object('runId', ${runIdParam}::text, 'events', json_agg(${event} ORDER BY a."seq"))::text AS "full",
         max(a."seq") AS "last", (array_agg(a."type" ORDER BY a."seq" DESC))[1] AS "lastType"
  FROM ${source} a
), notified AS (
  SELECT pg_notify('${CHANNELS.runEvents}', CASE WHEN octet_length(m."full") <= ${MAX_PAYLOAD_BYTES} THEN m."full"
    ELSE json_build_object('runId', ${runIdParam}::text, 'events',
           json_build_array(json_build_object('seq', m."last", 'type', m."lastType", 'truncated', true)))::text END)
  FROM message m WHERE m."last" IS NOT NULL
)`;
}

/** What a notification says about `events`: all of them, or, too big, only where they end. */
function notification(runId: string, events: LiveRunEvent[]): string | null {
  const whole = JSON.stringify({ runId, events } satisfies Notification);
  if (Buffer.byteLength(whole) <= MAX_PAYLOAD_BYTES) return whole;
  const last = events.findLast((e) => e.seq !== undefined);
  if (!last) return null; // token deltas that large: the stored output carries them
  return JSON.stringify({
    runId,
    events: [{ seq: last.seq, type: last.type, truncated: true }],
  } satisfies Notification);
}

/** Publishes stored events that no statement notified of (the embedded database's). */
export function publishRunEvents(runId: string, events: LiveRunEvent[]): void {
  const payload = notification(runId, events);
  if (payload) publishSoon("runEvents", payload);
}

/**
 * How long token deltas wait to travel together, how many bytes of text make them go at once,
 * and the most one notification carries (pieces of a longer delta go in turns): with the JSON
 * around it, a batch stays under NOTIFY's limit.
 */
const DELTA_WINDOW_MS = 50;
const DELTA_FLUSH_BYTES = 3_000;
const DELTA_MAX_BYTES = 6_000;
const DELTA_PIECE_CHARS = 1_000;

/**
 * A run's token deltas, batched: at most one notification per `DELTA_WINDOW_MS` (sooner when
 * much text is waiting), in order, on the run's own chain (runs never queue behind each other).
 * `flush` sends what waits and resolves once it is out: call it before storing the step's end,
 * so followers get the text before the end.
 */
export function runDeltas(runId: string) {
  let waiting: LiveRunEvent[] = [];
  let bytes = 0;
  let timer: NodeJS.Timeout | undefined;
  let sent: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (waiting.length) {
      const payload = notification(runId, waiting);
      waiting = [];
      bytes = 0;
      if (payload)
        sent = sent.then(() =>
          publishUnchained("runEvents", payload).catch((error) =>
            logger().warn({ err: error, runId }, "could not publish token deltas"),
          ),
        );
    }
    return sent;
  };
  return {
    add(nodeId: string, text: string) {
      for (let at = 0; at < text.length; at += DELTA_PIECE_CHARS) {
        const piece = text.slice(at, at + DELTA_PIECE_CHARS);
        const size = Buffer.byteLength(piece);
        if (bytes + size > DELTA_MAX_BYTES) void flush();
        const last = waiting.at(-1);
        if (last?.nodeId === nodeId) (last.payload as { text: string }).text += piece;
        else waiting.push({ type: "step.delta", nodeId, payload: { text: piece } });
        bytes += size;
      }
      if (bytes >= DELTA_FLUSH_BYTES) void flush();
      else timer ??= setTimeout(() => void flush(), DELTA_WINDOW_MS);
    },
    flush,
  };
}

/** Hears every process's run events; started once per process, on first subscribe. */
function listen(): Promise<unknown> {
  return processSingleton("run-events-listening", () =>
    subscribe("runEvents", (text) => {
      try {
        // `event`: a process of the release before, during a rolling upgrade.
        const { runId, events, event } = JSON.parse(text) as Notification & { event?: LiveRunEvent };
        for (const e of events ?? (event ? [event] : [])) {
          keepPartial(runId, e);
          byRun().emit(runId, e);
        }
      } catch (error) {
        logger().warn({ err: error }, "unreadable run event notification");
      }
    }),
  );
}

/** Starts hearing every process's run events now (a follower that comes later finds the text so far). */
export const hearRunEvents = (): Promise<unknown> => listen();

/**
 * The text each running step of a run has streamed so far, as this process heard it since it
 * began listening: a follower that comes in the middle of a step starts from it. Kept per run
 * while its steps stream, dropped when a step starts, ends or waits, and when the run ends; a
 * step's text past 100,000 characters, and runs quiet for 10 minutes, are not kept.
 */
const partials = () =>
  processSingleton("run-partial-texts", () => new Map<string, { at: number; nodes: Map<string, string | null> }>());
const PARTIAL_MAX_CHARS = 100_000;
const PARTIAL_RUNS = 2_000;
const PARTIAL_IDLE_MS = 10 * 60_000;

function keepPartial(runId: string, e: LiveRunEvent): void {
  const kept = partials();
  if (e.type === "step.delta" && e.nodeId) {
    const text = (e.payload as { text?: unknown } | undefined)?.text;
    if (typeof text !== "string") return;
    let entry = kept.get(runId);
    if (!entry) {
      if (kept.size >= PARTIAL_RUNS) {
        const idle = Date.now() - PARTIAL_IDLE_MS;
        for (const [id, old] of kept) if (old.at < idle) kept.delete(id);
        if (kept.size >= PARTIAL_RUNS) kept.delete(kept.keys().next().value!);
      }
      entry = { at: 0, nodes: new Map() };
      kept.set(runId, entry);
    }
    entry.at = Date.now();
    const before = entry.nodes.get(e.nodeId);
    if (before === null) return; // too long already: not kept
    const now = (before ?? "") + text;
    entry.nodes.set(e.nodeId, now.length > PARTIAL_MAX_CHARS ? null : now);
  } else if (e.type.startsWith("run.")) {
    if (e.type !== "run.started") kept.delete(runId);
  } else if (e.nodeId) kept.get(runId)?.nodes.delete(e.nodeId);
}

/** What each running step of the run has streamed so far (see `partials`). */
export function partialTexts(runId: string): { nodeId: string; text: string }[] {
  const entry = partials().get(runId);
  if (!entry) return [];
  return [...entry.nodes].flatMap(([nodeId, text]) => (text ? [{ nodeId, text }] : []));
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
