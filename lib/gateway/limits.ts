import "server-only";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { db } from "../db/client";
import { GatewayError } from "./errors";

/**
 * Requests and tokens per minute, counted in the database so every process shares the
 * counts (rate-limiter-flexible). Tokens are counted with the call's estimate before it goes
 * out, and corrected with the real figure after.
 */
const holder = globalThis as unknown as { __flowdeckGatewayLimiters?: Map<string, Promise<RateLimiterPrisma>> };
const limiters = () => (holder.__flowdeckGatewayLimiters ??= new Map());

function limiter(prefix: string, perMinute: number): Promise<RateLimiterPrisma> {
  const key = `${prefix}:${perMinute}`;
  let made = limiters().get(key);
  if (!made) {
    made = db().then((prisma) => new RateLimiterPrisma({ storeClient: prisma, tableName: "rateLimiterFlexible", keyPrefix: `gw-${prefix}`, points: perMinute, duration: 60 }));
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

/** Takes one request (or `tokens`) from each limit, or throws naming the first one exhausted. */
export async function takeFromLimits(limits: Limit[], tokens: number): Promise<void> {
  for (const l of limits) {
    const amount = l.kind === "requests" ? 1 : Math.min(Math.max(1, tokens), l.perMinute);
    try {
      await (await limiter(l.prefix, l.perMinute)).consume(l.key, amount);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const retry = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new GatewayError("rate_limited", `Rate limit reached: ${l.label} (${l.perMinute} per minute). Try again in ${retry} s.`, retry);
    }
  }
}

/** Corrects token limits with the real count once a call has finished. */
export async function correctTokens(limits: Limit[], estimated: number, actual: number): Promise<void> {
  const diff = actual - estimated;
  if (diff === 0) return;
  for (const l of limits.filter((x) => x.kind === "tokens")) {
    const rl = await limiter(l.prefix, l.perMinute);
    await (diff > 0 ? rl.penalty(l.key, diff) : rl.reward(l.key, -diff)).catch(() => undefined);
  }
}
