import "server-only";
import { processSingleton } from "../process/singleton";
import {
  RateLimiterPostgres,
  RateLimiterPrisma,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { database } from "../db/client";
import { guardedPool } from "../db/pool";
import { GatewayError } from "./errors";

/**
 * Requests and tokens per minute, counted in the database so every process shares the counts.
 * The limits of one call are counted together, and tokens are counted with the call's estimate
 * before it goes out, then corrected with the real figure after.
 *
 * A call takes its counts and budget from leases this process holds (./leases.ts: slices of
 * each limit and cap, counted in "GatewayRateLimit" and "BudgetUsage"), on either database. A
 * deployment's own limits, taken while routing, go through the library (`takeFromLimits`: on
 * PostgreSQL a small pool of their own, on the embedded database Prisma).
 */
const limiters = () => processSingleton("rate-limiters", () => new Map<string, Promise<RateLimiterAbstract>>());
/** A small pool of its own on PostgreSQL: limits are counted beside every call, apart from Prisma's. */
const limiterPool = (connectionString: string) =>
  processSingleton("rate-limit-pool", () =>
    guardedPool({ connectionString, max: 8, application_name: "flowdeck-limits" }),
  );

/**
 * A per-minute counter shared by every process (on PostgreSQL one upsert on the counters' own
 * pool; on the embedded database through Prisma), for the gateway's limits and any other rate
 * (a webhook's deliveries); `seconds` for another window (a signature seen once in ten minutes).
 */
export function minuteLimiter(prefix: string, perMinute: number, seconds = 60): Promise<RateLimiterAbstract> {
  const key = `${prefix}:${perMinute}:${seconds}`;
  let made = limiters().get(key);
  if (!made) {
    made = database().then((db) => {
      const common = { keyPrefix: `gw-${prefix}`, points: perMinute, duration: seconds };
      if (db.connectionString) {
        return new RateLimiterPostgres({
          ...common,
          storeClient: limiterPool(db.connectionString),
          storeType: "pool",
          tableName: "GatewayRateLimit",
          tableCreated: true,
        });
      }
      return new RateLimiterPrisma({ ...common, storeClient: db.prisma, tableName: "rateLimiterFlexible" });
    });
    limiters().set(key, made);
  }
  return made;
}

export interface Limit {
  /** What is limited, as a person reads it: "your requests per minute". */
  label: string;
  prefix: string;
  key: string;
  perMinute: number;
  kind: "requests" | "tokens";
}

/** Takes one request (or `tokens`) from each limit at once, or throws naming the first one exhausted. */
export async function takeFromLimits(limits: Limit[], tokens: number): Promise<void> {
  const results = await Promise.allSettled(
    limits.map(async (l) => (await minuteLimiter(l.prefix, l.perMinute)).consume(l.key, pointsOf(l, tokens))),
  );
  const refused = results.findIndex((r) => r.status === "rejected");
  if (refused < 0) return;
  const error = (results[refused] as PromiseRejectedResult).reason;
  if (!(error instanceof RateLimiterRes)) throw error;
  throw rateLimited(limits[refused]!, error.msBeforeNext);
}

export function rateLimited(l: Limit, msBeforeNext: number): GatewayError {
  const retry = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new GatewayError(
    "rate_limited",
    `Rate limit reached: ${l.label} (${l.perMinute} per minute). Try again in ${retry} s.`,
    retry,
  );
}

/** A counter's key, as rate-limiter-flexible names it. */
export const keyOf = (l: Limit) => `gw-${l.prefix}:${l.key}`;
/** What a call counts against a limit: one request, or its tokens (at most the whole limit). */
export const pointsOf = (l: Limit, tokens: number) =>
  l.kind === "requests" ? 1 : Math.min(Math.max(1, tokens), l.perMinute);

/** What admission took for a call, given back or made real when the call ends. */
export interface Hold {
  /** The tokens the call really used (its token limits are corrected to them) and what it cost. */
  settle(actualTokens: number, costUsd: number): void;
}
