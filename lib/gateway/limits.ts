import "server-only";
import { processSingleton } from "../process/singleton";
import {
  RateLimiterPostgres,
  RateLimiterPrisma,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { database, type Sql } from "../db/client";
import {
  capParams,
  capRows,
  reserve,
  reservedOrRefused,
  reserveSql,
  settle,
  settleSql,
  type Cap,
  type Reservation,
} from "./budget";
import { guardedPool } from "../db/pool";
import { GatewayError } from "./errors";

/**
 * Requests and tokens per minute, counted in the database so every process shares the
 * counts (rate-limiter-flexible's counters: on PostgreSQL its RateLimiterPostgres table, on the
 * embedded database its Prisma table). The limits of one call are counted together, and
 * tokens are counted with the call's estimate before it goes out, then corrected with the
 * real figure after.
 *
 * On PostgreSQL a call's admission is one round trip: its counts and its budget reservation
 * in one statement (`takeAndReserve`), and after it the settlement and the token correction in
 * one more (`settleAndCorrect`), on the hot path's SQL. A deployment's own limits, taken while
 * routing, go through the library (a small pool of their own).
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
 * (a webhook's deliveries).
 */
export function minuteLimiter(prefix: string, perMinute: number): Promise<RateLimiterAbstract> {
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
    limits.map(async (l) => (await minuteLimiter(l.prefix, l.perMinute)).consume(l.key, pointsOf(l, tokens))),
  );
  const refused = results.findIndex((r) => r.status === "rejected");
  if (refused < 0) return;
  const error = (results[refused] as PromiseRejectedResult).reason;
  if (!(error instanceof RateLimiterRes)) throw error;
  throw rateLimited(limits[refused]!, error.msBeforeNext);
}

function rateLimited(l: Limit, msBeforeNext: number): GatewayError {
  const retry = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new GatewayError(
    "rate_limited",
    `Rate limit reached: ${l.label} (${l.perMinute} per minute). Try again in ${retry} s.`,
    retry,
  );
}

const keyOf = (l: Limit) => `gw-${l.prefix}:${l.key}`;
const pointsOf = (l: Limit, tokens: number) => (l.kind === "requests" ? 1 : Math.min(Math.max(1, tokens), l.perMinute));

// A call's rate limits and budget caps in one round trip on PostgreSQL. The counters are
// rate-limiter-flexible's own rows, counted as its RateLimiterPostgres counts them (a window of a
// minute from the first count), so its penalty and reward correct them after the call; the
// budget is reserved (as budget.ts reserves it) only when no limit is passed. Counters are
// taken in key order (as every statement here takes them), then budget rows: no deadlock.
const TAKE_AND_RESERVE = `
WITH counted AS (
  INSERT INTO "GatewayRateLimit" AS t ("key", "points", "expire")
  SELECT c."key", c."points", c."expire"
  FROM unnest($5::text[], $6::int[], $7::bigint[]) WITH ORDINALITY AS c("key", "points", "expire", "n") ORDER BY c."n"
  ON CONFLICT ("key") DO UPDATE SET
    "points" = CASE WHEN t."expire" <= $8::bigint THEN EXCLUDED."points" ELSE t."points" + EXCLUDED."points" END,
    "expire" = CASE WHEN t."expire" <= $8::bigint THEN EXCLUDED."expire" ELSE t."expire" END
  RETURNING t."key", t."points", t."expire"
), over AS (
  SELECT counted."key", counted."expire" FROM counted
  JOIN unnest($5::text[], $9::int[]) AS c("key", "cap") ON c."key" = counted."key"
  WHERE counted."points" > c."cap"
), reserved AS (${reserveSql("$1", "$2", "$3", "$4", "NOT EXISTS (SELECT FROM over)")})
SELECT 'over' AS "kind", "key", "expire"::text FROM over
UNION ALL SELECT 'reserved', "key", NULL FROM reserved
UNION ALL SELECT 'counted', "key", "expire"::text FROM counted`;

/** What admission took: the budget reservation, and the minute window each count went into. */
export interface Taken {
  reservation: Reservation | null;
  /** Counter key → the end of the window the call was counted in (PostgreSQL). */
  windows: Map<string, number>;
}

/**
 * Takes the call's count from each limit and reserves its most costly outcome under each cap,
 * or throws naming the first limit or cap it would pass (nothing is reserved past a limit).
 * A refused call counts as a request, but spends no tokens: its estimate is given back.
 */
export async function takeAndReserve(
  sql: Sql,
  limits: Limit[],
  tokens: number,
  caps: Cap[],
  amountUsd: number,
): Promise<Taken> {
  const windows = new Map<string, number>();
  try {
    if (sql.kind !== "postgres") {
      if (limits.length) await takeFromLimits(limits, tokens);
      return { reservation: caps.length ? await reserve(sql, caps, amountUsd) : null, windows };
    }
    if (!limits.length && !caps.length) return { reservation: null, windows };
    const rows = await capRows(sql, caps);
    const now = Date.now();
    const ordered = [...limits].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
    const result = await sql.query<{ kind: "over" | "reserved" | "counted"; key: string; expire: string | null }>(
      TAKE_AND_RESERVE,
      [
        amountUsd,
        ...capParams(rows),
        ordered.map(keyOf),
        ordered.map((l) => pointsOf(l, tokens)),
        ordered.map(() => now + 60_000),
        now,
        ordered.map((l) => l.perMinute),
      ],
      "flowdeck_take_and_reserve",
    );
    for (const r of result) if (r.kind === "counted" && r.expire !== null) windows.set(r.key, Number(r.expire));
    const passed = limits.find((l) => result.some((r) => r.kind === "over" && r.key === keyOf(l)));
    if (passed) throw rateLimited(passed, (windows.get(keyOf(passed)) ?? now) - Date.now());
    if (!caps.length) return { reservation: null, windows };
    const reserved = result.filter((r) => r.kind === "reserved").map((r) => r.key);
    return { reservation: await reservedOrRefused(sql, rows, reserved, amountUsd, false), windows };
  } catch (refusal) {
    if (refusal instanceof GatewayError)
      await settleAndCorrect(sql, null, 0, tokenCorrections(limits, tokens, 0, windows)).catch(() => undefined);
    throw refusal;
  }
}

/** A token limit's count to correct by `diff` after a call, in the window the call was counted in. */
export interface Correction {
  limit: Limit;
  diff: number;
  window?: number;
}

/** The corrections of a call's token limits: what it used (`actual`) against what its estimate counted. */
export const tokenCorrections = (
  limits: Limit[],
  estimated: number,
  actual: number,
  windows: Map<string, number>,
): Correction[] =>
  limits
    .filter((l) => l.kind === "tokens")
    .map((limit) => ({ limit, diff: actual - pointsOf(limit, estimated), window: windows.get(keyOf(limit)) }))
    .filter((c) => c.diff !== 0);

// After a call, on PostgreSQL: its budget reservation becomes the real cost and its token
// counts are corrected by what it really used, in one statement: only in the minute window the
// call was counted in (a later window starts from what is counted in it).
// Rows are locked in TAKE_AND_RESERVE's order: counters in key order (an upsert takes rows in
// the order given, kept by ORDER BY ordinality: nothing may reorder them), then budget rows,
// which wait for every counter (`when` reads `corrected`). A counter that is gone is made again
// already expired (a negative end), so a correction never opens a window of its own.
const SETTLE_AND_CORRECT = `
WITH corrected AS (
  INSERT INTO "GatewayRateLimit" AS t ("key", "points", "expire")
  SELECT c."key", c."diff", -c."window"
  FROM unnest($5::text[], $6::int[], $7::bigint[]) WITH ORDINALITY AS c("key", "diff", "window", "n") ORDER BY c."n"
  ON CONFLICT ("key") DO UPDATE SET
    "points" = CASE WHEN t."expire" = -EXCLUDED."expire" THEN GREATEST(t."points" + EXCLUDED."points", 0) ELSE t."points" END
  RETURNING t."key"
), settled AS (${settleSql("$1", "$2", "$3", "$4", "(SELECT count(*) FROM corrected) >= 0")})
SELECT (SELECT count(*) FROM corrected)::int AS "corrected", (SELECT count(*) FROM settled)::int AS "settled"`;

/** Settles a call's reservation with its real cost (0 for none) and applies its token corrections. */
export async function settleAndCorrect(
  sql: Sql,
  reservation: Reservation | null,
  costUsd: number,
  corrections: Correction[],
): Promise<void> {
  if (sql.kind !== "postgres") {
    await Promise.all([reservation && settle(sql, reservation, costUsd), correctTokens(corrections)]);
    return;
  }
  const ordered = corrections
    .filter((c) => c.window !== undefined)
    .sort((a, b) => (keyOf(a.limit) < keyOf(b.limit) ? -1 : 1));
  if (!reservation?.caps.length && !ordered.length) return;
  await sql.query(
    SETTLE_AND_CORRECT,
    [
      reservation?.amountUsd ?? 0,
      costUsd,
      reservation?.caps.map((c) => c.key) ?? [],
      reservation?.caps.map((c) => c.periodStart.toISOString()) ?? [],
      ordered.map((c) => keyOf(c.limit)),
      ordered.map((c) => c.diff),
      ordered.map((c) => c.window),
    ],
    "flowdeck_settle_and_correct",
  );
}

/** Token corrections through the library (the embedded database). */
async function correctTokens(corrections: Correction[]): Promise<void> {
  await Promise.all(
    corrections.map(async ({ limit: l, diff }) => {
      const rl = await minuteLimiter(l.prefix, l.perMinute);
      await (diff > 0 ? rl.penalty(l.key, diff) : rl.reward(l.key, -diff)).catch(() => undefined);
    }),
  );
}
