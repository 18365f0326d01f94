import "server-only";
import { processSingleton } from "../process/singleton";
import type { PrismaClient } from "../db/generated/client";
import { GatewayError } from "./errors";

/**
 * Spend caps. A call reserves its highest possible cost before it goes out, with one
 * conditional UPDATE for all its caps (`spent + reserved + estimate <= cap` for each row), so
 * concurrent calls can never together pass a cap; when it ends, the reservation becomes the
 * real cost.
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

export async function reserve(
  prisma: PrismaClient,
  caps: Cap[],
  amountUsd: number,
  again = false,
): Promise<Reservation> {
  const rows = caps.map((c) => ({ ...c, start: periodStart(c.period) }));
  const missing = rows.filter((r) => !known().has(`${r.key}|${r.start.toISOString()}`));
  for (const r of missing) {
    await prisma.$executeRaw`INSERT INTO "BudgetUsage" ("key", "periodStart") VALUES (${r.key}, ${r.start}) ON CONFLICT DO NOTHING`;
    known().add(`${r.key}|${r.start.toISOString()}`);
  }
  const keys = rows.map((r) => r.key);
  const starts = rows.map((r) => r.start);
  const limits = rows.map((r) => r.limitUsd);
  // One statement for every cap: each row is reserved only where its cap allows. Sums of floats
  // drift (0.1 + 0.05 × 5 > 0.35), so a nano-dollar of slack keeps a cap for 5 calls at 5.
  const reserved = await prisma.$queryRaw<{ key: string }[]>`
    UPDATE "BudgetUsage" AS b SET "reservedUsd" = b."reservedUsd" + ${amountUsd}
    FROM unnest(${keys}::text[], ${starts}::timestamp[], ${limits}::float8[]) AS c("key", "periodStart", "limitUsd")
    WHERE b."key" = c."key" AND b."periodStart" = c."periodStart" AND b."spentUsd" + b."reservedUsd" + ${amountUsd} <= c."limitUsd" + 1e-9
    RETURNING b."key"`;
  const taken: Reservation = {
    caps: rows.filter((r) => reserved.some((x) => x.key === r.key)).map((r) => ({ key: r.key, periodStart: r.start })),
    amountUsd,
  };
  if (taken.caps.length === rows.length) return taken;
  await settle(prisma, taken, 0);
  const over = rows.find((r) => !reserved.some((x) => x.key === r.key))!;
  const [row] = await prisma.$queryRaw<
    { spentUsd: number }[]
  >`SELECT "spentUsd" FROM "BudgetUsage" WHERE "key" = ${over.key} AND "periodStart" = ${over.start}`;
  // The row this process knew of is gone (deleted since): make it again and reserve once more.
  if (!row && !again) {
    known().delete(`${over.key}|${over.start.toISOString()}`);
    return reserve(prisma, caps, amountUsd, true);
  }
  throw new GatewayError(
    "budget_exceeded",
    `Budget reached: ${over.label} is ${usd(over.limitUsd)} per ${over.period === "DAY" ? "day" : "month"}, ${usd(row?.spentUsd ?? 0)} is spent, and this call could cost up to ${usd(amountUsd)}. An admin can raise the budget under Models → Limits and budgets.`,
  );
}

/** Turns a reservation into the real cost (0 for a call that failed before any usage). */
export async function settle(prisma: PrismaClient, reservation: Reservation, actualUsd: number): Promise<void> {
  if (!reservation.caps.length) return;
  const keys = reservation.caps.map((c) => c.key);
  const starts = reservation.caps.map((c) => c.periodStart);
  await prisma.$executeRaw`
    UPDATE "BudgetUsage" AS b SET "reservedUsd" = GREATEST(b."reservedUsd" - ${reservation.amountUsd}, 0), "spentUsd" = b."spentUsd" + ${actualUsd}
    FROM unnest(${keys}::text[], ${starts}::timestamp[]) AS c("key", "periodStart")
    WHERE b."key" = c."key" AND b."periodStart" = c."periodStart"`;
}
