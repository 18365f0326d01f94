import { TaskCancelledError, timeout, TimeoutStrategy } from "cockatiel";

/**
 * Runs `fn` with an AbortSignal that fires when `parent` does or after `seconds` (cockatiel's
 * aggressive timeout: the promise is abandoned and the signal aborts the work in flight).
 */
export async function withTimeout<T>(
  seconds: number | undefined,
  parent: AbortSignal,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (!seconds) return fn(parent);
  try {
    return await timeout(seconds * 1000, TimeoutStrategy.Aggressive).execute(({ signal }) => fn(signal), parent);
  } catch (error) {
    if (error instanceof TaskCancelledError && !parent.aborted) throw new Error(`Timed out after ${seconds} s`);
    throw error;
  }
}

/** Waits `ms`, or rejects at once when the signal aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });
}
