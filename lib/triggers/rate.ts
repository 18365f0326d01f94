import "server-only";
import { RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "../errors/app-error";
import { minuteLimiter } from "../gateway/limits";

/**
 * Takes one from each per-minute rate, shared by every process (`[prefix, perMinute, key]`),
 * or throws 429 with Retry-After and `what` ("This webhook takes 60 deliveries a minute").
 */
export async function takeRates(rates: [string, number, string][], what: string): Promise<void> {
  try {
    for (const [prefix, perMinute, key] of rates) await (await minuteLimiter(prefix, perMinute)).consume(key, 1);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const retry = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw new AppError("rate_limited", `${what}; try again in ${retry} s.`, { retryAfterSeconds: retry });
  }
}

/**
 * Whether `key` is seen here for the first time in `seconds` (every process shares what was
 * seen): a signed webhook delivery's signature, so a captured one cannot start a second run.
 */
export async function firstTime(prefix: string, key: string, seconds: number): Promise<boolean> {
  try {
    await (await minuteLimiter(prefix, 1, seconds)).consume(key, 1);
    return true;
  } catch (error) {
    if (error instanceof RateLimiterRes) return false;
    throw error;
  }
}

/** Lets go of a key `firstTime` saw, so it counts as unseen again. */
export async function forget(prefix: string, key: string, seconds: number): Promise<void> {
  await (await minuteLimiter(prefix, 1, seconds)).delete(key);
}
