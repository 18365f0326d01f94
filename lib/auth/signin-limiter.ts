import "server-only";
import { processSingleton } from "../process/singleton";
import { RateLimiterPrisma } from "rate-limiter-flexible";
import { env } from "../config/env";
import { db } from "../db/client";

/**
 * Counts failed sign-ins in the database, so every process shares the counts: per email
 * (SIGNIN_MAX_FAILURES) and per client address (ten times as many, so one office behind one
 * address is not locked out by one person). A key over its count is blocked for
 * SIGNIN_BLOCK_SECONDS.
 */
type Limiters = { byEmail: RateLimiterPrisma; byAddress: RateLimiterPrisma };
function limiters(): Promise<Limiters> {
  return processSingleton("signin-limiters", () =>
    db().then((prisma) => {
      const { SIGNIN_MAX_FAILURES: points, SIGNIN_BLOCK_SECONDS: seconds } = env();
      const make = (keyPrefix: string, max: number) =>
        new RateLimiterPrisma({
          storeClient: prisma,
          tableName: "rateLimiterFlexible",
          keyPrefix,
          points: max,
          duration: seconds,
          blockDuration: seconds,
        });
      return { byEmail: make("signin-email", points), byAddress: make("signin-address", points * 10) };
    }),
  );
}

/** Seconds until the caller may try again, or 0 when not blocked. */
export async function signInBlockedFor(email: string, address: string): Promise<number> {
  const { byEmail, byAddress } = await limiters();
  const checks = await Promise.all([
    byEmail.get(email).then((s) => (s && s.consumedPoints >= byEmail.points ? s.msBeforeNext : 0)),
    byAddress.get(address).then((s) => (s && s.consumedPoints >= byAddress.points ? s.msBeforeNext : 0)),
  ]);
  return Math.ceil(Math.max(...checks) / 1000);
}

export async function recordFailedSignIn(email: string, address: string): Promise<void> {
  const { byEmail, byAddress } = await limiters();
  await Promise.all([byEmail.penalty(email, 1), byAddress.penalty(address, 1)]);
}

export async function clearFailedSignIns(email: string): Promise<void> {
  const { byEmail } = await limiters();
  await byEmail.delete(email);
}
