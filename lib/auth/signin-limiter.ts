import "server-only";
import { RateLimiterPrisma } from "rate-limiter-flexible";
import { env } from "../config/env";
import { db } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import { processSingleton } from "../process/singleton";
import { addressKey } from "./client-address";

/**
 * Failed sign-ins (and failed passwords anywhere a password is checked: accepting an
 * invitation, changing a password; and wrong invitation links, on the address's key alone),
 * counted in the database by rate-limiter-flexible so every
 * process shares them. Two keys, never one per email alone, so nobody can lock another person
 * out from elsewhere:
 * - per (address, email): `freeFailures` failures, then a lock-out;
 * - per address: ten times as many, for one address trying many emails.
 * Lock-outs are progressive: `firstBlockSeconds`, doubled with each further failure, up to
 * `maxBlockSeconds`. Failures are remembered for a day; a success forgets the pair's.
 * When the address is unknown (served without scripts/socket-address.mjs), there is no
 * per-address key, so unknown callers cannot lock each other out wholesale.
 */
export interface SignInPolicy {
  freeFailures: number;
  firstBlockSeconds: number;
  maxBlockSeconds: number;
}

const MEMORY_SECONDS = 24 * 3600;
const PER_ADDRESS_FACTOR = 10;

/** How long a key is locked out after its `failures`-th failure (0: not yet). */
export function lockoutSeconds(failures: number, free: number, policy: SignInPolicy): number {
  if (failures < free) return 0;
  return Math.min(policy.maxBlockSeconds, policy.firstBlockSeconds * 2 ** (failures - free));
}

export interface SignInLimiter {
  /** Seconds until this address may try this email again, or 0. */
  blockedFor(email: string, address: string | null): Promise<number>;
  /** Counts a failure; returns the seconds of the lock-out it caused (0 if none). */
  recordFailure(email: string, address: string | null): Promise<number>;
  /** Forgets the pair's failures after a success. */
  clear(email: string, address: string | null): Promise<void>;
  /** Counts a failure of the address alone (no email was tried: a wrong invitation link); returns its lock-out's seconds. */
  recordAddressFailure(address: string | null): Promise<number>;
}

export function createSignInLimiter(prisma: PrismaClient, policy: SignInPolicy): SignInLimiter {
  const make = (keyPrefix: string, points: number, duration: number) =>
    new RateLimiterPrisma({ storeClient: prisma, tableName: "rateLimiterFlexible", keyPrefix, points, duration });
  const failures = make("signin-failures", 1_000_000, MEMORY_SECONDS);
  const blocks = make("signin-blocks", 1, 1);
  const keys = (email: string, address: string | null) => {
    const where = address ? addressKey(address) : "unknown";
    const pair = { key: `${where}|${email}`, free: policy.freeFailures };
    return address ? [pair, { key: where, free: policy.freeFailures * PER_ADDRESS_FACTOR }] : [pair];
  };
  /** Counts a failure on each key; returns the seconds of the longest lock-out it caused (0 if none). */
  const count = async (counted: { key: string; free: number }[]) => {
    const seconds = await Promise.all(
      counted.map(async ({ key, free }) => {
        const failed = (await failures.penalty(key, 1)).consumedPoints;
        const block = lockoutSeconds(failed, free, policy);
        if (block > 0) await blocks.block(key, block);
        return block;
      }),
    );
    return Math.max(0, ...seconds);
  };
  return {
    async blockedFor(email, address) {
      const waits = await Promise.all(
        keys(email, address).map(async ({ key }) => {
          const state = await blocks.get(key);
          return state && state.consumedPoints > blocks.points ? state.msBeforeNext : 0;
        }),
      );
      return Math.ceil(Math.max(0, ...waits) / 1000);
    },
    recordFailure: (email, address) => count(keys(email, address)),
    // The address's key alone: ten times the pair's free failures before a lock-out.
    recordAddressFailure: async (address) => (address ? count(keys("", address).slice(1)) : 0),
    async clear(email, address) {
      const [pair] = keys(email, address);
      await Promise.all([failures.delete(pair!.key), blocks.delete(pair!.key)]);
    },
  };
}

/** The process's limiter, with the policy from the environment. */
export function signInLimiter(): Promise<SignInLimiter> {
  return processSingleton("signin-limiter", () =>
    db().then((prisma) => {
      const { SIGNIN_MAX_FAILURES, SIGNIN_FIRST_BLOCK_SECONDS, SIGNIN_BLOCK_SECONDS } = env();
      return createSignInLimiter(prisma, {
        freeFailures: SIGNIN_MAX_FAILURES,
        firstBlockSeconds: Math.min(SIGNIN_FIRST_BLOCK_SECONDS, SIGNIN_BLOCK_SECONDS),
        maxBlockSeconds: SIGNIN_BLOCK_SECONDS,
      });
    }),
  );
}

/** What a person reads when locked out. */
export function lockedOutMessage(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
