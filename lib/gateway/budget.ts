import "server-only";
import type { PrismaClient } from "../db/generated/client";
import { GatewayError } from "./errors";

/**
 * Spend caps. A call reserves its highest possible cost before it goes out, with one
 * conditional UPDATE per cap (`spent + reserved + estimate <= cap`), so concurrent calls can
 * never together pass a cap; when it ends, the reservation becomes the real cost.
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
  return period === "DAY" ? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())) : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;

export async function reserve(prisma: PrismaClient, caps: Cap[], amountUsd: number): Promise<Reservation> {
  const taken: Reservation = { caps: [], amountUsd };
  for (const cap of caps) {
    const start = periodStart(cap.period);
    await prisma.$executeRaw`INSERT INTO "BudgetUsage" ("key", "periodStart") VALUES (${cap.key}, ${start}) ON CONFLICT DO NOTHING`;
    const rows = await prisma.$queryRaw<{ spentUsd: number }[]>`
      UPDATE "BudgetUsage" SET "reservedUsd" = "reservedUsd" + ${amountUsd}
      WHERE "key" = ${cap.key} AND "periodStart" = ${start} AND "spentUsd" + "reservedUsd" + ${amountUsd} <= ${cap.limitUsd}
      RETURNING "spentUsd"`;
    if (rows.length === 0) {
      await settle(prisma, taken, 0);
      const [row] = await prisma.$queryRaw<{ spentUsd: number }[]>`SELECT "spentUsd" FROM "BudgetUsage" WHERE "key" = ${cap.key} AND "periodStart" = ${start}`;
      throw new GatewayError(
        "budget_exceeded",
        `Budget reached: ${cap.label} is ${usd(cap.limitUsd)} per ${cap.period === "DAY" ? "day" : "month"}, ${usd(row?.spentUsd ?? 0)} is spent, and this call could cost up to ${usd(amountUsd)}. An admin can raise the budget under Models → Limits.`,
      );
    }
    taken.caps.push({ key: cap.key, periodStart: start });
  }
  return taken;
}

/** Turns a reservation into the real cost (0 for a call that failed before any usage). */
export async function settle(prisma: PrismaClient, reservation: Reservation, actualUsd: number): Promise<void> {
  for (const c of reservation.caps) {
    await prisma.$executeRaw`
      UPDATE "BudgetUsage" SET "reservedUsd" = GREATEST("reservedUsd" - ${reservation.amountUsd}, 0), "spentUsd" = "spentUsd" + ${actualUsd}
      WHERE "key" = ${c.key} AND "periodStart" = ${c.periodStart}`;
  }
}
