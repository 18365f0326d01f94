import "server-only";
import { processSingleton } from "../process/singleton";
import type { Sql } from "../db/client";
import { GatewayError } from "./errors";

/**
 * Spend caps. A call reserves its highest possible cost before it goes out, with one
 * conditional UPDATE for all its caps (`spent + reserved + estimate <= cap` for each row), so
 * concurrent calls can never together pass a cap; when it ends, the reservation becomes the
 * real cost. Both are one named statement on the hot path's SQL (lib/db), not the ORM.
 * Periods travel as ISO text (UTC), as the column holds them.
 */
export interface Cap {
  key: string;
  label: string;
  limitUsd: number;
  /** RUN: a run's cost cap, one row for the run's whole life. */
  period: "DAY" | "MONTH" | "RUN";
  /** A run's cost cap: what its workflow does when a call would pass it. */
  onReach?: "FAIL" | "REVIEW";
}

export interface Reservation {
  caps: { key: string; periodStart: Date }[];
  amountUsd: number;
}

export function periodStart(period: Cap["period"], now = new Date()): Date {
  if (period === "RUN") return new Date(0);
  return period === "DAY"
    ? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
    : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;
/** Rows known to exist (key and period), so the insert is made once per process and period. */
const known = () => processSingleton("budget-rows", () => new Set<string>());

// A call's budget rows are locked in key order by every statement that changes them (here and
// in limits.ts), so two calls, or a call and another's settlement, never deadlock. `when`
// gates the whole statement (a condition on other parts of a larger one); parameters are given
// by their placeholders.
const lockedRows = (keys: string, starts: string, when: string) => `locked AS (
  SELECT b."key" FROM "BudgetUsage" AS b
  JOIN unnest(${keys}::text[], ${starts}::timestamp[]) AS l("key", "periodStart")
    ON b."key" = l."key" AND b."periodStart" = l."periodStart"
  WHERE ${when} ORDER BY b."key" FOR UPDATE OF b)`;

/**
 * One statement for every cap: each row is reserved only where its cap allows. Sums of floats
 * drift (0.1 + 0.05 × 5 > 0.35), so a nano-dollar of slack keeps a cap for 5 calls at 5.
 */
const reserveSql = (amount: string, keys: string, starts: string, caps: string, when = "TRUE") => `
WITH ${lockedRows(keys, starts, when)}
UPDATE "BudgetUsage" AS b SET "reservedUsd" = b."reservedUsd" + ${amount}::float8
FROM unnest(${keys}::text[], ${starts}::timestamp[], ${caps}::float8[]) AS c("key", "periodStart", "limitUsd")
WHERE b."key" = c."key" AND b."periodStart" = c."periodStart" AND b."key" IN (SELECT "key" FROM locked)
  AND b."spentUsd" + b."reservedUsd" + ${amount}::float8 <= c."limitUsd" + 1e-9
RETURNING b."key"`;

/** A reservation of `reserved` becomes the real cost `cost` in every cap's row. */
const settleSql = (reserved: string, cost: string, keys: string, starts: string, when = "TRUE") => `
WITH ${lockedRows(keys, starts, when)}
UPDATE "BudgetUsage" AS b
SET "reservedUsd" = GREATEST(b."reservedUsd" - ${reserved}::float8, 0), "spentUsd" = b."spentUsd" + ${cost}::float8
FROM unnest(${keys}::text[], ${starts}::timestamp[]) AS c("key", "periodStart")
WHERE b."key" = c."key" AND b."periodStart" = c."periodStart" AND b."key" IN (SELECT "key" FROM locked)
RETURNING b."key"`;

const RESERVE = reserveSql("$1", "$2", "$3", "$4");
const SETTLE = settleSql("$1", "$2", "$3", "$4");

export interface CapRow extends Cap {
  start: Date;
}

/** The caps with the start of their current period; each row is made once per process and period. */
export async function capRows(sql: Sql, caps: Cap[]): Promise<CapRow[]> {
  const rows = caps.map((c) => ({ ...c, start: periodStart(c.period) }));
  for (const r of rows.filter((r) => !known().has(`${r.key}|${r.start.toISOString()}`))) {
    await sql.query(
      'INSERT INTO "BudgetUsage" ("key", "periodStart") VALUES ($1, $2::timestamp) ON CONFLICT DO NOTHING',
      [r.key, r.start.toISOString()],
    );
    known().add(`${r.key}|${r.start.toISOString()}`);
  }
  return rows;
}

/** `reserveSql`'s parameters after the amount: keys, period starts and caps. */
const capParams = (rows: CapRow[]) => [
  rows.map((r) => r.key),
  rows.map((r) => r.start.toISOString()),
  rows.map((r) => r.limitUsd),
];

export async function reserve(sql: Sql, caps: Cap[], amountUsd: number, again = false): Promise<Reservation> {
  const rows = await capRows(sql, caps);
  const reserved = await sql.query<{ key: string }>(
    RESERVE,
    [amountUsd, ...capParams(rows)],
    "flowdeck_budget_reserve",
  );
  return reservedOrRefused(
    sql,
    rows,
    reserved.map((r) => r.key),
    amountUsd,
    again,
  );
}

/**
 * The reservation when every cap took it; otherwise what was taken is given back and the call is
 * refused, naming the cap it would pass.
 */
async function reservedOrRefused(
  sql: Sql,
  rows: CapRow[],
  reservedKeys: string[],
  amountUsd: number,
  again: boolean,
): Promise<Reservation> {
  const taken: Reservation = {
    caps: rows.filter((r) => reservedKeys.includes(r.key)).map((r) => ({ key: r.key, periodStart: r.start })),
    amountUsd,
  };
  if (taken.caps.length === rows.length) return taken;
  await settle(sql, taken, 0);
  const over = rows.find((r) => !reservedKeys.includes(r.key))!;
  const [row] = await sql.query<{ spentUsd: number; reservedUsd: number }>(
    'SELECT "spentUsd", "reservedUsd" FROM "BudgetUsage" WHERE "key" = $1 AND "periodStart" = $2::timestamp',
    [over.key, over.start.toISOString()],
  );
  // A row this process knew of was gone (deleted since; perhaps made again meanwhile by another
  // call), not full: make the call's rows again and reserve once more.
  const room = !row || row.spentUsd + row.reservedUsd + amountUsd <= over.limitUsd + 1e-9;
  if (room && !again) {
    forgetCapRows(rows);
    return reserve(sql, rows, amountUsd, true);
  }
  throw budgetExceeded(over, row?.spentUsd ?? 0, amountUsd);
}

/** The key of the organization's budget row: every workspace's calls count against it. */
export const ORGANIZATION_CAP = "org";

/** Who can raise a cap, and where. */
const raiseIt = (key: string) =>
  key.startsWith("key:")
    ? "An admin can raise the key's budget under API keys."
    : key.startsWith("ws:")
      ? "An installation owner can raise the team's budget under Organization → Teams."
      : "An admin can raise the budget under Models → Limits and budgets.";

/** The refusal of a call that could cost `amountUsd` under a cap with `spentUsd` spent. */
export const budgetExceeded = (cap: Cap, spentUsd: number, amountUsd: number) =>
  new GatewayError(
    "budget_exceeded",
    cap.key === ORGANIZATION_CAP
      ? `Budget reached: the organization's budget is ${usd(cap.limitUsd)} per ${cap.period === "DAY" ? "day" : "month"} over every workspace, ${usd(spentUsd)} is spent, and this call could cost up to ${usd(amountUsd)}. An installation owner can raise it under Organization.`
      : cap.period === "RUN" && cap.onReach === "REVIEW"
        ? `Cost cap reached: this run may spend ${usd(cap.limitUsd)} on models, ${usd(spentUsd)} is spent, and the next call could cost up to ${usd(amountUsd)}, so the run waits here for an admin to raise this run's cap (in the inbox).`
        : cap.period === "RUN"
          ? `Cost cap reached: this run may spend ${usd(cap.limitUsd)} on models, ${usd(spentUsd)} is spent, and the next call could cost up to ${usd(amountUsd)}, so the run stops here. A builder can raise the cap in the editor under Versions → Cost cap per run, or have runs wait there for an admin to raise it.`
          : `Budget reached: ${cap.label} is ${usd(cap.limitUsd)} per ${cap.period === "DAY" ? "day" : "month"}, ${usd(spentUsd)} is spent, and this call could cost up to ${usd(amountUsd)}. ${raiseIt(cap.key)}`,
    undefined,
    cap.period === "RUN" ? { limitUsd: cap.limitUsd, spentUsd, amountUsd, onReach: cap.onReach ?? "FAIL" } : undefined,
  );

/** Rows this process thought were there and are not (deleted since): made again on next use. */
export function forgetCapRows(rows: CapRow[]): void {
  for (const r of rows) known().delete(`${r.key}|${r.start.toISOString()}`);
}

/** Turns a reservation into the real cost (0 for a call that failed before any usage). */
export async function settle(sql: Sql, reservation: Reservation, actualUsd: number): Promise<void> {
  if (!reservation.caps.length) return;
  await sql.query(
    SETTLE,
    [
      reservation.amountUsd,
      actualUsd,
      reservation.caps.map((c) => c.key),
      reservation.caps.map((c) => c.periodStart.toISOString()),
    ],
    "flowdeck_budget_settle",
  );
}
