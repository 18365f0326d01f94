import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointAtScratchDatabase } from "../support/process-database";
import type { PrismaClient } from "../../lib/db/generated/client";
import type { SignInLimiter, SignInPolicy } from "../../lib/auth/signin-limiter";

/**
 * The sign-in limiter on a real database: keyed per address and per (address, email), never
 * per email alone; lock-outs that grow; no per-address key when the address is unknown.
 */
let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>>;
let prisma: PrismaClient;
let limiterModule: typeof import("../../lib/auth/signin-limiter");
let n = 0;
const limiter = (policy: SignInPolicy): SignInLimiter => limiterModule.createSignInLimiter(prisma, policy);
const email = () => `person${++n}.${Date.now()}@example.com`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  scratch = await pointAtScratchDatabase("limiter");
  prisma = await (await import("../../lib/db/client")).db();
  limiterModule = await import("../../lib/auth/signin-limiter");
});
afterAll(async () => {
  await scratch?.done();
});

describe("lockoutSeconds", () => {
  it("is 0 until the free failures are used, then doubles from the first lock-out up to the cap", () => {
    const policy = { freeFailures: 5, firstBlockSeconds: 60, maxBlockSeconds: 900 };
    expect([4, 5, 6, 7, 8, 9, 30].map((f) => limiterModule.lockoutSeconds(f, 5, policy))).toEqual([
      0, 60, 120, 240, 480, 900, 900,
    ]);
  });
});

describe("the sign-in limiter", () => {
  it("locks one address out for one email after the free failures; another address and another email are not affected", async () => {
    const l = limiter({ freeFailures: 5, firstBlockSeconds: 60, maxBlockSeconds: 900 });
    const victim = email();
    for (let i = 0; i < 4; i += 1) expect(await l.recordFailure(victim, "198.51.100.1")).toBe(0);
    expect(await l.blockedFor(victim, "198.51.100.1")).toBe(0);
    expect(await l.recordFailure(victim, "198.51.100.1")).toBe(60);
    expect(await l.blockedFor(victim, "198.51.100.1")).toBeGreaterThan(55);

    expect(await l.blockedFor(victim, "198.51.100.2")).toBe(0);
    expect(await l.blockedFor(email(), "198.51.100.1")).toBe(0);
  });

  it("makes each further lock-out twice as long, up to the longest", async () => {
    const l = limiter({ freeFailures: 2, firstBlockSeconds: 1, maxBlockSeconds: 3 });
    const who = email();
    await l.recordFailure(who, "198.51.100.3");
    expect(await l.recordFailure(who, "198.51.100.3")).toBe(1);
    expect(await l.blockedFor(who, "198.51.100.3")).toBe(1);
    await sleep(1100);
    expect(await l.blockedFor(who, "198.51.100.3")).toBe(0);
    expect(await l.recordFailure(who, "198.51.100.3")).toBe(2);
    expect(await l.blockedFor(who, "198.51.100.3")).toBe(2);
    await sleep(2100);
    expect(await l.recordFailure(who, "198.51.100.3")).toBe(3);
    expect(await l.blockedFor(who, "198.51.100.3")).toBe(3);
  });

  it("locks an address trying many emails out for every email, after ten times the free failures", async () => {
    const l = limiter({ freeFailures: 2, firstBlockSeconds: 60, maxBlockSeconds: 900 });
    for (let i = 0; i < 19; i += 1) await l.recordFailure(email(), "198.51.100.4");
    expect(await l.blockedFor(email(), "198.51.100.4")).toBe(0);
    await l.recordFailure(email(), "198.51.100.4");
    expect(await l.blockedFor(email(), "198.51.100.4")).toBeGreaterThan(55);
    expect(await l.blockedFor(email(), "198.51.100.5")).toBe(0);
  });

  it("has no per-address lock when the address is unknown, so unknown callers cannot lock everyone out", async () => {
    const l = limiter({ freeFailures: 2, firstBlockSeconds: 60, maxBlockSeconds: 900 });
    for (let i = 0; i < 60; i += 1) await l.recordFailure(email(), null);
    expect(await l.blockedFor(email(), null)).toBe(0);
  });

  it("forgets a pair's failures after a success, but not the address's", async () => {
    const l = limiter({ freeFailures: 3, firstBlockSeconds: 60, maxBlockSeconds: 900 });
    const who = email();
    await l.recordFailure(who, "198.51.100.6");
    await l.recordFailure(who, "198.51.100.6");
    await l.clear(who, "198.51.100.6");
    await l.recordFailure(who, "198.51.100.6");
    await l.recordFailure(who, "198.51.100.6");
    expect(await l.blockedFor(who, "198.51.100.6")).toBe(0);
    expect(await l.recordFailure(who, "198.51.100.6")).toBe(60);
  });
});
