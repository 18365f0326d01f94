import "server-only";
import type { Viewer } from "../auth/session";
import { recordAudit } from "../audit/record";
import { db } from "../db/client";
import { organizationBudgetSchema, type OrganizationSpend } from "../schemas/guardrail-policy";
import { requireInstallationOwner } from "../workspaces/installation-owners";
import { ORGANIZATION_CAP, periodStart } from "./budget";
import { everyGatewayChanged } from "./config";
import { flushLedger } from "./ledger";

const WHY = "it caps every team's model calls";

/** Sets the organization's budget (installation owners; audited; every process is told at once). */
export async function saveOrganizationBudget(viewer: Viewer, input: unknown): Promise<void> {
  await requireInstallationOwner(viewer, "set the organization's budget", WHY);
  const data = organizationBudgetSchema.parse(input);
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const before = await tx.organizationSettings.findUnique({ where: { id: "organization" } });
    await tx.organizationSettings.upsert({ where: { id: "organization" }, create: data, update: data });
    await recordAudit(tx, {
      workspaceId: null,
      actorId: viewer.user.id,
      action: "organization.budget",
      targetType: "OrganizationSettings",
      targetId: "organization",
      before: { budgetUsd: before?.budgetUsd ?? null, budgetPeriod: before?.budgetPeriod ?? "MONTH" },
      after: data,
    });
  });
  await everyGatewayChanged();
}

/**
 * The organization's spend in its budget's period (a month when it has none), by workspace,
 * from the ledger's daily totals; against its budget, with the spend so far extended to the
 * period's end at the same pace.
 */
export async function organizationSpend(viewer: Viewer): Promise<OrganizationSpend> {
  await requireInstallationOwner(viewer, "see the organization's spend", WHY);
  await flushLedger();
  const prisma = await db();
  const settings = await prisma.organizationSettings.findUnique({ where: { id: "organization" } });
  const period = settings?.budgetPeriod ?? "MONTH";
  const now = new Date();
  const start = periodStart(period, now);
  const [byWorkspace, workspaces, budgets, capRow] = await Promise.all([
    prisma.usageDaily.groupBy({
      by: ["workspaceId"],
      where: { day: { gte: start } },
      _sum: { costUsd: true, calls: true },
    }),
    prisma.workspace.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    prisma.gatewaySettings.findMany({ select: { workspaceId: true, workspaceBudgetUsd: true } }),
    prisma.budgetUsage.findUnique({ where: { key_periodStart: { key: ORGANIZATION_CAP, periodStart: start } } }),
  ]);
  const spent = new Map(byWorkspace.map((w) => [w.workspaceId, w._sum]));
  const budget = new Map(budgets.map((b) => [b.workspaceId, b.workspaceBudgetUsd]));
  const rows = workspaces
    .map((w) => ({
      id: w.id,
      name: w.name,
      spentUsd: spent.get(w.id)?.costUsd ?? 0,
      calls: spent.get(w.id)?.calls ?? 0,
      budgetUsd: budget.get(w.id) ?? null,
    }))
    .sort((a, b) => b.spentUsd - a.spentUsd || a.name.localeCompare(b.name));
  // The cap's own row is exact (settled as calls end); without a budget, the ledger's totals.
  const total = capRow ? capRow.spentUsd : rows.reduce((sum, r) => sum + r.spentUsd, 0);
  const end =
    period === "DAY"
      ? new Date(start.getTime() + 86_400_000)
      : new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  const elapsed = Math.max(now.getTime() - start.getTime(), 3_600_000);
  return {
    period,
    periodStart: start.toISOString(),
    budgetUsd: settings?.budgetUsd ?? null,
    spentUsd: total,
    forecastUsd: (total * (end.getTime() - start.getTime())) / elapsed,
    byWorkspace: rows,
  };
}
