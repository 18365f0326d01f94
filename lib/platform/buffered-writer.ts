import { randomUUID } from "node:crypto";
import { isDataError } from "../db/transient";
import { logger } from "../log/logger";
import { onShutdown } from "./shutdown";
import { processSingleton } from "../process/singleton";

/**
 * Rows written off the hot path (the usage ledger, the guardrail trail, the tool audit): `add` buffers, and the
 * buffer is written in one batch every `delayMs` or at `maxBatch` rows. A batch that fails to
 * write because the database is away (a dropped connection) goes back to the front of the
 * buffer and is tried again with a growing pause, so nothing is lost meanwhile; only past
 * `maxBuffered` rows are the oldest dropped, and that is logged with the count. A batch the
 * database refuses for its data (a constraint, a value it cannot store) is written row by row,
 * and only the rows it refuses are dropped, with a log line, so one bad row never blocks the rest.
 * NUL characters, which PostgreSQL cannot store in text, are replaced before a row is buffered.
 * A batch may be written again after a write whose commit went through but whose answer was
 * lost: each row gets an id when it is added, handed to `write` beside the batch (`ids[i]` is
 * `batch[i]`'s, the same on every attempt), and `write` must skip rows already written by it.
 *
 * Every writer is flushed at shutdown, and `flushWriters()` writes them all (readers that must
 * see every row so far, such as a run's trace, call it first).
 */
export interface BufferedWriter<T> {
  add(row: T): void;
  /** Writes what is buffered; resolves when written (or when the attempt failed and was logged). */
  flush(): Promise<void>;
}

/** A buffered row and the id it was given when added. */
interface Entry<T> {
  id: string;
  row: T;
}

interface State<T> {
  buffer: Entry<T>[];
  timer: NodeJS.Timeout | null;
  writing: Promise<void>;
  failures: number;
  /** A retry after a failure is scheduled: new rows wait for it rather than hammer the database. */
  retrying: boolean;
}

/** The row with every NUL character in its strings replaced (PostgreSQL refuses them in text and JSON). */
function withoutNul<T>(value: T, depth = 0): T {
  if (typeof value === "string") return (value.includes("\u0000") ? value.replaceAll("\u0000", "\uFFFD") : value) as T;
  if (depth > 20 || value === null || typeof value !== "object" || value instanceof Date) return value;
  // Copied only where something changes: a row without a NUL is kept as it is (the usual case).
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const cleaned = withoutNul(value[i], depth + 1);
      if (cleaned !== value[i]) (out ??= [...value])[i] = cleaned;
    }
    return (out ?? value) as T;
  }
  let out: Record<string, unknown> | null = null;
  for (const [key, v] of Object.entries(value)) {
    const cleaned = withoutNul(v, depth + 1);
    if (cleaned !== v) (out ??= { ...(value as Record<string, unknown>) })[key] = cleaned;
  }
  return (out ?? value) as T;
}

const registry = () => processSingleton("buffered-writers", () => new Map<string, () => Promise<void>>());

export function bufferedWriter<T>(options: {
  name: string;
  write: (batch: T[], ids: string[]) => Promise<void>;
  maxBatch?: number;
  delayMs?: number;
  maxBuffered?: number;
}): BufferedWriter<T> {
  const maxBatch = options.maxBatch ?? 200;
  const delayMs = options.delayMs ?? 250;
  const maxBuffered = options.maxBuffered ?? 100_000;
  const state = () =>
    processSingleton<State<T>>(`writer:${options.name}`, () => ({
      buffer: [],
      timer: null,
      writing: Promise.resolve(),
      failures: 0,
      retrying: false,
    }));

  const write = (entries: Entry<T>[]) =>
    options.write(
      entries.map((e) => e.row),
      entries.map((e) => e.id),
    );

  const schedule = (ms: number, retry = false) => {
    const s = state();
    s.timer ??= setTimeout(() => void flush(), ms);
    // A retry must not keep a finished process alive; a fresh batch is written before exit.
    if (retry) s.timer.unref?.();
  };

  /** Writes a batch the database refused for its data one row at a time; drops the rows it refuses. */
  async function rowByRow(batch: Entry<T>[], refusal: unknown): Promise<void> {
    let dropped = 0;
    for (let i = 0; i < batch.length; i += 1) {
      try {
        await write([batch[i]!]);
      } catch (error) {
        if (!isDataError(error)) throw Object.assign(error as object, { unwritten: batch.slice(i) });
        dropped += 1;
      }
    }
    logger().error(
      { err: refusal, writer: options.name, dropped, written: batch.length - dropped },
      "the database refused rows for their data; dropped them, wrote the rest",
    );
  }

  function flush(): Promise<void> {
    const s = state();
    if (s.timer) clearTimeout(s.timer);
    s.timer = null;
    s.retrying = false;
    s.writing = s.writing.then(async () => {
      // What is buffered when this flush gets its turn; rows added while it writes wait for
      // their own timer, so a steady stream of rows is written every `delayMs`, not nonstop.
      let due = s.buffer.length;
      while (due > 0) {
        let batch = s.buffer.splice(0, Math.min(maxBatch, due));
        due -= batch.length;
        try {
          try {
            await write(batch);
          } catch (error) {
            if (!isDataError(error)) throw error;
            await rowByRow(batch, error);
          }
          s.failures = 0;
        } catch (error) {
          batch = (error as { unwritten?: Entry<T>[] }).unwritten ?? batch;
          s.failures += 1;
          s.buffer.unshift(...batch);
          const over = s.buffer.length - maxBuffered;
          if (over > 0) s.buffer.splice(0, over);
          const retryMs = Math.min(30_000, 500 * 2 ** Math.min(s.failures, 6));
          logger().error(
            { err: error, writer: options.name, buffered: s.buffer.length, dropped: Math.max(0, over), retryMs },
            "could not write a batch; kept it to try again",
          );
          s.retrying = true;
          schedule(retryMs, true);
          return;
        }
      }
    });
    return s.writing;
  }

  registry().set(options.name, flush);
  onShutdown(`writer:${options.name}`, "flush", flush);

  return {
    add(row) {
      const s = state();
      s.buffer.push({ id: randomUUID(), row: withoutNul(row) });
      if (s.buffer.length >= maxBatch && !s.retrying) void flush();
      else schedule(delayMs);
    },
    flush,
  };
}

/** Writes what every buffered writer of this process holds. */
export async function flushWriters(): Promise<void> {
  await Promise.all([...registry().values()].map((flush) => flush()));
}
