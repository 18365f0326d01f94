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
  period: "DAY" | "MONTH";
}

export interface Reservation {
  caps: { key: string; periodStart: Date }[];
  amountUsd: number;
}

export function periodStart(period: "DAY" | "MONTH", now = new Date()): Date {
  return period === "DAY"
    ? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
    : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;
/** Rows known to exist (key and period), so the insert is made once per process and period. */
const known = () => processSingleton("budget-rows", () => new Set<string>());

// One statement for every cap: each row is reserved only where its cap allows. Sums of floats
// drift (0.1 + 0.05 × 5 > 0.35), so a nano-dollar of slack keeps a cap for 5 calls at 5.
export const RESERVE = `
UPDATE "BudgetUsage" AS b SET "reservedUsd" = b."reservedUsd" + $1::float8
FROM unnest($2::text[], $3::timestamp[], $4::float8[]) AS c("key", "periodStart", "limitUsd")
WHERE b."key" = c."key" AND b."periodStart" = c."periodStart" AND b."spentUsd" + b."reservedUsd" + $1::float8 <= c."limitUsd" + 1e-9
RETURNING b."key"`;

const SETTLE = `
UPDATE "BudgetUsage" AS b SET "reservedUsd" = GREATEST(b."reservedUsd" - $1::float8, 0), "spentUsd" = b."spentUsd" + $2::float8
FROM unnest($3::text[], $4::timestamp[]) AS c("key", "periodStart")
WHERE b."key" = c."key" AND b."periodStart" = c."periodStart"`;

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

/** RESERVE's parameters after the amount ($2, $3, $4): keys, period starts and caps. */
export const capParams = (rows: CapRow[]) => [
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
export async function reservedOrRefused(
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
  const [row] = await sql.query<{ spentUsd: number }>(
    'SELECT "spentUsd" FROM "BudgetUsage" WHERE "key" = $1 AND "periodStart" = $2::timestamp',
    [over.key, over.start.toISOString()],
  );
  // The row this process knew of is gone (deleted since): make it again and reserve once more.
  if (!row && !again) {
    known().delete(`${over.key}|${over.start.toISOString()}`);
    return reserve(sql, rows, amountUsd, true);
  }
  throw new GatewayError(
    "budget_exceeded",
    `Budget reached: ${over.label} is ${usd(over.limitUsd)} per ${over.period === "DAY" ? "day" : "month"}, ${usd(row?.spentUsd ?? 0)} is spent, and this call could cost up to ${usd(amountUsd)}. An admin can raise the budget under Models → Limits and budgets.`,
  );
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
