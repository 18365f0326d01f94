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
 * Requests and tokens per minute, counted in the database so every process shares the
 * counts (rate-limiter-flexible: one upsert per count through a small pg pool on PostgreSQL;
 * through Prisma on the embedded database). The limits of one call are counted together, and
 * tokens are counted with the call's estimate before it goes out, then corrected with the
 * real figure after.
 */
const limiters = () => processSingleton("rate-limiters", () => new Map<string, Promise<RateLimiterAbstract>>());
/** A small pool of its own on PostgreSQL: limits are counted beside every call, apart from Prisma's. */
const limiterPool = (connectionString: string) =>
  processSingleton("rate-limit-pool", () =>
    guardedPool({ connectionString, max: 8, application_name: "flowdeck-limits" }),
  );

function limiter(prefix: string, perMinute: number): Promise<RateLimiterAbstract> {
  const key = `${prefix}:${perMinute}`;
  let made = limiters().get(key);
  if (!made) {
    made = database().then((db) => {
      const common = { keyPrefix: `gw-${prefix}`, points: perMinute, duration: 60 };
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
    limits.map(async (l) =>
      (await limiter(l.prefix, l.perMinute)).consume(
        l.key,
        l.kind === "requests" ? 1 : Math.min(Math.max(1, tokens), l.perMinute),
      ),
    ),
  );
  const refused = results.findIndex((r) => r.status === "rejected");
  if (refused < 0) return;
  const error = (results[refused] as PromiseRejectedResult).reason;
  if (!(error instanceof RateLimiterRes)) throw error;
  const l = limits[refused]!;
  const retry = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
  throw new GatewayError(
    "rate_limited",
    `Rate limit reached: ${l.label} (${l.perMinute} per minute). Try again in ${retry} s.`,
    retry,
  );
}

/** Corrects token limits with the real count once a call has finished. */
export async function correctTokens(limits: Limit[], estimated: number, actual: number): Promise<void> {
  const diff = actual - estimated;
  if (diff === 0) return;
  await Promise.all(
    limits
      .filter((x) => x.kind === "tokens")
      .map(async (l) => {
        const rl = await limiter(l.prefix, l.perMinute);
        await (diff > 0 ? rl.penalty(l.key, diff) : rl.reward(l.key, -diff)).catch(() => undefined);
      }),
  );
}
