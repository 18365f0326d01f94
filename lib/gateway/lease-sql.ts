/**
 * The statements behind leased allowances (./leases.ts), on either database. They lock rows in
 * the one order every statement on them uses: rate-limit counters by key, then budget rows by
 * key (after every counter), so no two of them deadlock.
 *
 * Counters are rate-limiter-flexible's own rows (`GatewayRateLimit`: a window of a minute from
 * its first count, `expire` its end in ms), so its library (a deployment's limits on
 * PostgreSQL) and these statements count alike.
 */

/** At most this share of what is left under a limit or cap goes into one lease. */
export const LEASE_SHARE = 16;

/**
 * Grants leases: for each counter, `need` (what the call in hand needs) and up to `want` more,
 * but never more than a sixteenth of what is left in its window; a counter the call's own need
 * passes is counted by that need only (a refused call counts as a request, as before) and
 * reported over. Budget rows are reserved the same way, and only when no counter is over: a
 * cap the need would pass is reserved nothing (its `grant` is null). Every grant is returned
 * with what the caller needs to know: the counter's count and window after it, the budget's spend.
 *
 * $1 counter keys, $2 need, $3 want, $4 the limit per minute, $5 the end of a window opened now,
 * $6 now (ms); $7 budget keys, $8 period starts, $9 caps, $10 need, $11 want (USD).
 */
export const GRANT = `
WITH locked AS (
  SELECT t."key", t."points", t."expire" FROM "GatewayRateLimit" AS t
  WHERE t."key" = ANY($1::text[]) ORDER BY t."key" FOR UPDATE
), asked AS (
  SELECT c."key", c."need", c."want", c."cap", c."expire", c."n",
    CASE WHEN l."key" IS NULL OR l."expire" <= $6::bigint THEN 0 ELSE l."points" END AS "old"
  FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::bigint[])
    WITH ORDINALITY AS c("key", "need", "want", "cap", "expire", "n")
  LEFT JOIN locked AS l ON l."key" = c."key"
), granted AS (
  SELECT *, CASE WHEN "old" + "need" > "cap" THEN "need"
    ELSE GREATEST("need", LEAST("want", ("cap" - "old") / ${LEASE_SHARE})) END AS "grant"
  FROM asked
), counted AS (
  INSERT INTO "GatewayRateLimit" AS t ("key", "points", "expire")
  SELECT g."key", g."grant", g."expire" FROM granted AS g ORDER BY g."n"
  ON CONFLICT ("key") DO UPDATE SET
    "points" = CASE WHEN t."expire" <= $6::bigint THEN EXCLUDED."points" ELSE t."points" + EXCLUDED."points" END,
    "expire" = CASE WHEN t."expire" <= $6::bigint THEN EXCLUDED."expire" ELSE t."expire" END
  RETURNING t."key", t."points", t."expire"
), over AS (
  SELECT counted."key" FROM counted JOIN granted AS g ON g."key" = counted."key"
  WHERE counted."points" - g."grant" + g."need" > g."cap"
), budget AS (
  SELECT b."key", b."spentUsd", b."spentUsd" + b."reservedUsd" AS "used" FROM "BudgetUsage" AS b
  JOIN unnest($7::text[], $8::timestamp[]) AS l("key", "periodStart")
    ON b."key" = l."key" AND b."periodStart" = l."periodStart"
  WHERE NOT EXISTS (SELECT FROM over) ORDER BY b."key" FOR UPDATE OF b
), bgranted AS (
  SELECT c."key", c."periodStart", bu."spentUsd",
    CASE WHEN bu."used" + c."need" > c."cap" + 1e-9 THEN NULL
      ELSE GREATEST(c."need", LEAST(c."want", (c."cap" - bu."used") / ${LEASE_SHARE})) END AS "grant"
  FROM unnest($7::text[], $8::timestamp[], $9::float8[], $10::float8[], $11::float8[])
    AS c("key", "periodStart", "cap", "need", "want")
  JOIN budget AS bu ON bu."key" = c."key"
), reserved AS (
  UPDATE "BudgetUsage" AS b SET "reservedUsd" = b."reservedUsd" + g."grant"
  FROM bgranted AS g
  WHERE b."key" = g."key" AND b."periodStart" = g."periodStart" AND g."grant" IS NOT NULL
  RETURNING b."key"
)
SELECT 'counter' AS "kind", counted."key", g."grant"::float8 AS "grant", counted."points"::float8 AS "value",
  counted."expire"::text AS "expire"
FROM counted JOIN granted AS g ON g."key" = counted."key"
UNION ALL
SELECT 'budget', g."key", g."grant", g."spentUsd", NULL FROM bgranted AS g`;

/**
 * Makes the counters that are not there yet (empty, their window long over), in key order, and
 * nothing else: GRANT locks the counters that exist before it makes the new ones, so two grants
 * making the same new counters can each wait for the other; once they all exist, it locks them
 * all in key order. Run after a grant was undone for a deadlock, before it is run again.
 *
 * $1 counter keys, sorted.
 */
export const MAKE_COUNTERS = `
INSERT INTO "GatewayRateLimit" ("key", "points", "expire")
SELECT k, 0, 0 FROM unnest($1::text[]) WITH ORDINALITY AS c(k, n) ORDER BY n
ON CONFLICT ("key") DO NOTHING`;

export interface GrantRow {
  kind: "counter" | "budget";
  key: string;
  /** Counted, or reserved (null: a budget the need would pass). */
  grant: number | null;
  /** A counter's count after the grant; a budget's spend. */
  value: number;
  /** A counter's window end (ms, as text). */
  expire: string | null;
}

/**
 * Writes back what leases hold for the database: counters corrected by `diff` (a lease given
 * back, or tokens used past a call's estimate), only in the window they were counted in (a
 * counter that is gone is made again already expired, so a correction never opens a window);
 * budget rows with `release` taken off their reservation and `spend` added to their spend.
 *
 * $1 counter keys, $2 diffs, $3 windows; $4 budget keys, $5 period starts, $6 release, $7 spend.
 */
export const FLUSH = `
WITH corrected AS (
  INSERT INTO "GatewayRateLimit" AS t ("key", "points", "expire")
  SELECT c."key", c."diff", -c."window"
  FROM unnest($1::text[], $2::int[], $3::bigint[]) WITH ORDINALITY AS c("key", "diff", "window", "n") ORDER BY c."n"
  ON CONFLICT ("key") DO UPDATE SET
    "points" = CASE WHEN t."expire" = -EXCLUDED."expire" THEN GREATEST(t."points" + EXCLUDED."points", 0) ELSE t."points" END
  RETURNING t."key"
), locked AS (
  SELECT b."key" FROM "BudgetUsage" AS b
  JOIN unnest($4::text[], $5::timestamp[]) AS l("key", "periodStart")
    ON b."key" = l."key" AND b."periodStart" = l."periodStart"
  WHERE (SELECT count(*) FROM corrected) >= 0 ORDER BY b."key" FOR UPDATE OF b
), settled AS (
  UPDATE "BudgetUsage" AS b
  SET "reservedUsd" = GREATEST(b."reservedUsd" - c."release", 0), "spentUsd" = b."spentUsd" + c."spend"
  FROM unnest($4::text[], $5::timestamp[], $6::float8[], $7::float8[]) AS c("key", "periodStart", "release", "spend")
  WHERE b."key" = c."key" AND b."periodStart" = c."periodStart" AND b."key" IN (SELECT "key" FROM locked)
  RETURNING b."key"
)
SELECT (SELECT count(*) FROM corrected)::int AS "corrected", (SELECT count(*) FROM settled)::int AS "settled"`;

/** Gives back every reservation: on the embedded database, before its one process's first grant. */
export const RECOVER = `UPDATE "BudgetUsage" SET "reservedUsd" = 0 WHERE "reservedUsd" <> 0`;
