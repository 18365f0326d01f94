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
