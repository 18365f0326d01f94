/** How long the door waits between tries of a request. */
const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 5_000;
const RETRY_AFTER_MAX_MS = 30_000;

/**
 * How long to wait before retry number `retry` (0 for the first): the server's Retry-After
 * when it gave one (at most 30 s), else exponential backoff from 250 ms to 5 s.
 */
export function backoffMs(retry: number, retryAfter: number | null): number {
  if (retryAfter !== null) return Math.min(Math.max(retryAfter, 0), RETRY_AFTER_MAX_MS);
  return Math.min(BACKOFF_FIRST_MS * 2 ** retry, BACKOFF_MAX_MS);
}

/** A Retry-After header in milliseconds from `now`: delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = /[a-z]/i.test(text) ? Date.parse(text) : NaN; // an HTTP date names its month
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
