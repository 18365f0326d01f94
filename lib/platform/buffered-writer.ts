import { logger } from "../log/logger";
import { onShutdown } from "./shutdown";
import { processSingleton } from "../process/singleton";

/**
 * Rows written off the hot path (the usage ledger, the tool audit): `add` buffers, and the
 * buffer is written in one batch every `delayMs` or at `maxBatch` rows. A batch that fails to
 * write (the database dropped the connection) goes back to the front of the buffer and is
 * tried again with a growing pause, so nothing is lost while the database is away; only past
 * `maxBuffered` rows are the oldest dropped, and that is logged with the count.
 *
 * Every writer is flushed at shutdown, and `flushWriters()` writes them all (readers that must
 * see every row so far, such as a run's trace, call it first).
 */
export interface BufferedWriter<T> {
  add(row: T): void;
  /** Writes what is buffered; resolves when written (or when the attempt failed and was logged). */
  flush(): Promise<void>;
}

interface State<T> {
  buffer: T[];
  timer: NodeJS.Timeout | null;
  writing: Promise<void>;
  failures: number;
}

const registry = () => processSingleton("buffered-writers", () => new Map<string, () => Promise<void>>());

export function bufferedWriter<T>(options: {
  name: string;
  write: (batch: T[]) => Promise<void>;
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
    }));

  const schedule = (ms: number, retry = false) => {
    const s = state();
    s.timer ??= setTimeout(() => void flush(), ms);
    // A retry must not keep a finished process alive; a fresh batch is written before exit.
    if (retry) s.timer.unref?.();
  };

  function flush(): Promise<void> {
    const s = state();
    if (s.timer) clearTimeout(s.timer);
    s.timer = null;
    s.writing = s.writing.then(async () => {
      while (s.buffer.length) {
        const batch = s.buffer.splice(0, maxBatch);
        try {
          await options.write(batch);
          s.failures = 0;
        } catch (error) {
          s.failures += 1;
          s.buffer.unshift(...batch);
          const over = s.buffer.length - maxBuffered;
          if (over > 0) s.buffer.splice(0, over);
          const retryMs = Math.min(30_000, 500 * 2 ** Math.min(s.failures, 6));
          logger().error(
            { err: error, writer: options.name, buffered: s.buffer.length, dropped: Math.max(0, over), retryMs },
            "could not write a batch; kept it to try again",
          );
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
      s.buffer.push(row);
      if (s.buffer.length >= maxBatch) void flush();
      else schedule(delayMs);
    },
    flush,
  };
}

/** Writes what every buffered writer of this process holds. */
export async function flushWriters(): Promise<void> {
  await Promise.all([...registry().values()].map((flush) => flush()));
}
