import "server-only";
import type { Viewer } from "../auth/session";
import { recordAudit } from "../audit/record";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import {
  organizationBudgetSchema,
  organizationLimitsSchema,
  type OrganizationSpend,
  type SpendRow,
} from "../schemas/guardrail-policy";
import { requireInstallationOwner } from "../workspaces/installation-owners";
import { ORGANIZATION_CAP, periodStart } from "./budget";
import { everyGatewayChanged } from "./config";
import { flushLedger } from "./ledger";

const WHY = "it caps every team's model calls";

/** Changes some of the organization's settings (installation owners): audited, every process told at once. */
async function saveSettings<K extends "budgetUsd" | "budgetPeriod" | "requestsPerMinute" | "tokensPerMinute">(
  viewer: Viewer,
  what: string,
  action: string,
  data: Pick<Prisma.OrganizationSettingsUncheckedCreateInput, K>,
  fallback: Record<K, unknown>,
): Promise<void> {
  await requireInstallationOwner(viewer, what, WHY);
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const before = await tx.organizationSettings.findUnique({ where: { id: "organization" } });
    await tx.organizationSettings.upsert({ where: { id: "organization" }, create: data, update: data });
    await recordAudit(tx, {
      workspaceId: null,
      actorId: viewer.user.id,
      action,
      targetType: "OrganizationSettings",
      targetId: "organization",
      before: Object.fromEntries(
        Object.keys(fallback).map((k) => [k, before?.[k as K] ?? fallback[k as K]]),
      ) as Prisma.InputJsonValue,
      after: data as Prisma.InputJsonValue,
    });
  });
  await everyGatewayChanged();
}

/** Sets the organization's budget. */
export async function saveOrganizationBudget(viewer: Viewer, input: unknown): Promise<void> {
  await saveSettings(
    viewer,
    "set the organization's budget",
    "organization.budget",
    organizationBudgetSchema.parse(input),
    {
      budgetUsd: null,
      budgetPeriod: "MONTH",
    },
  );
}

/** Sets the organization's rate limits over every team's calls together. */
export async function saveOrganizationLimits(viewer: Viewer, input: unknown): Promise<void> {
  await saveSettings(
    viewer,
    "set the organization's rate limits",
    "organization.limits",
    organizationLimitsSchema.parse(input),
    { requestsPerMinute: null, tokensPerMinute: null },
  );
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
    limits: {
      requestsPerMinute: settings?.requestsPerMinute ?? null,
      tokensPerMinute: settings?.tokensPerMinute ?? null,
    },
    periodStart: start.toISOString(),
    budgetUsd: settings?.budgetUsd ?? null,
    spentUsd: total,
    forecastUsd: (total * (end.getTime() - start.getTime())) / elapsed,
    byWorkspace: rows,
    ...(await breakdown(start, new Map(workspaces.map((w) => [w.id, w.name])))),
  };
}

const TOP = 10;
const top = (rows: SpendRow[]) =>
  rows.sort((a, b) => b.spentUsd - a.spentUsd || b.calls - a.calls || a.name.localeCompare(b.name)).slice(0, TOP);

/** Adds a row's spend into the one of its id. */
function tally(into: Map<string, SpendRow>, row: SpendRow) {
  const seen = into.get(row.id);
  if (seen) {
    seen.spentUsd += row.spentUsd;
    seen.calls += row.calls;
  } else into.set(row.id, { ...row });
}

/**
 * The period's spend by the organization's model (a team's calls by the name it was granted
 * under count for the model granted; a team's own model is its own line), by workflow, by person
 * (every team together) and by API key, from the ledger.
 */
async function breakdown(start: Date, teams: Map<string, string>) {
  const prisma = await db();
  const since = { day: { gte: start } };
  const [byAlias, byWorkflow, byPerson, byKey, grants] = await Promise.all([
    prisma.usageDaily.groupBy({ by: ["workspaceId", "alias"], where: since, _sum: { costUsd: true, calls: true } }),
    prisma.usageDaily.groupBy({
      by: ["workspaceId", "workflowId"],
      where: { ...since, workflowId: { not: "" } },
      _sum: { costUsd: true, calls: true },
    }),
    prisma.usageDaily.groupBy({
      by: ["userId"],
      where: { ...since, userId: { not: "" } },
      _sum: { costUsd: true, calls: true },
    }),
    prisma.usageRecord.groupBy({
      by: ["apiKeyId"],
      where: { at: { gte: start }, apiKeyId: { not: null } },
      _sum: { costUsd: true },
      _count: { _all: true },
    }),
    prisma.modelGrant.findMany({
      select: { workspaceId: true, name: true, alias: { select: { id: true, name: true } } },
    }),
  ]);
  const [workflows, people, keys] = await Promise.all([
    prisma.workflow.findMany({
      where: { id: { in: byWorkflow.map((w) => w.workflowId) } },
      select: { id: true, name: true },
    }),
    prisma.user.findMany({ where: { id: { in: byPerson.map((p) => p.userId) } }, select: { id: true, name: true } }),
    prisma.apiKey.findMany({
      where: { id: { in: byKey.map((k) => k.apiKeyId!) } },
      select: { id: true, name: true, workspaceId: true },
    }),
  ]);
  const granted = new Map(grants.map((g) => [`${g.workspaceId}|${g.name}`, g.alias]));
  const models = new Map<string, SpendRow>();
  for (const a of byAlias) {
    const org = granted.get(`${a.workspaceId}|${a.alias}`);
    const sum = { spentUsd: a._sum.costUsd ?? 0, calls: a._sum.calls ?? 0 };
    if (org) tally(models, { id: org.id, name: org.name, team: null, ...sum });
    else if (a.alias === "demo") tally(models, { id: "demo", name: "demo", team: null, ...sum });
    else
      tally(models, {
        id: `${a.workspaceId}|${a.alias}`,
        name: a.alias,
        team: teams.get(a.workspaceId) ?? null,
        ...sum,
      });
  }
  const workflowName = new Map(workflows.map((w) => [w.id, w.name]));
  const personName = new Map(people.map((p) => [p.id, p.name]));
  const key = new Map(keys.map((k) => [k.id, k]));
  return {
    byModel: top([...models.values()]),
    byWorkflow: top(
      byWorkflow.map((w) => ({
        id: w.workflowId,
        name: workflowName.get(w.workflowId) ?? "Deleted workflow",
        team: teams.get(w.workspaceId) ?? null,
        spentUsd: w._sum.costUsd ?? 0,
        calls: w._sum.calls ?? 0,
      })),
    ),
    byPerson: top(
      byPerson.map((p) => ({
        id: p.userId,
        name: personName.get(p.userId) ?? "Someone removed",
        team: null,
        spentUsd: p._sum.costUsd ?? 0,
        calls: p._sum.calls ?? 0,
      })),
    ),
    byKey: top(
      byKey.map((k) => ({
        id: k.apiKeyId!,
        name: key.get(k.apiKeyId!)?.name ?? "Deleted key",
        team: teams.get(key.get(k.apiKeyId!)?.workspaceId ?? "") ?? null,
        spentUsd: k._sum.costUsd ?? 0,
        calls: k._count._all,
      })),
    ),
  };
}
