import "server-only";
import { usd } from "../schemas/money";
import { processSingleton } from "../process/singleton";
import type { Sql } from "../db/client";
import { GatewayError } from "./errors";

/**
 * Spend caps: a call's caps (its person's, its team's, its key's, the organization's, its run's),
 * a row per cap and period in "BudgetUsage" (spent and reserved), and the refusal that names the
 * cap a call would pass. Calls reserve and settle through leases (./leases.ts: a slice of each
 * cap reserved at a time, one statement for all of a call's caps). Periods travel as ISO text
 * (UTC), as the column holds them.
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

export function periodStart(period: Cap["period"], now = new Date()): Date {
  if (period === "RUN") return new Date(0);
  return period === "DAY"
    ? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
    : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** Rows known to exist (key and period), so the insert is made once per process and period. */
const madeKey = (r: { key: string; start: Date }) => `${r.key}|${r.start.getTime()}`;
const known = () => processSingleton("budget-rows", () => new Set<string>());

export interface CapRow extends Cap {
  start: Date;
}

/** The caps with the start of their current period; each row is made once per process and period. */
export async function capRows(sql: Sql, caps: Cap[]): Promise<CapRow[]> {
  const now = new Date();
  const rows = caps.map((c) => ({ ...c, start: periodStart(c.period, now) }));
  const made = known();
  for (const r of rows) {
    const row = madeKey(r);
    if (made.has(row)) continue;
    await sql.query(
      'INSERT INTO "BudgetUsage" ("key", "periodStart") VALUES ($1, $2::timestamp) ON CONFLICT DO NOTHING',
      [r.key, r.start.toISOString()],
    );
    made.add(row);
  }
  return rows;
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
  for (const r of rows) known().delete(madeKey(r));
}
