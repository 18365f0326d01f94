import "server-only";
import type { Viewer } from "../auth/session";
import { db } from "../db/client";
import type { UsageReport, UsageTotals } from "../schemas/usage";
import { flushLedger } from "./ledger";

/**
 * Spend and use of the gateway in a workspace: totals by day, model, person and workflow from
 * the daily rollups, and the latest calls from the ledger.
 */
const zero = (): UsageTotals => ({ calls: 0, errors: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });
function add(t: UsageTotals, r: UsageTotals) {
  t.calls += r.calls;
  t.errors += r.errors;
  t.cacheHits += r.cacheHits;
  t.inputTokens += r.inputTokens;
  t.outputTokens += r.outputTokens;
  t.costUsd += r.costUsd;
}

function group<K extends string>(
  rows: (UsageTotals & Record<K, string>)[],
  key: K,
): (Record<K, string> & UsageTotals)[] {
  const map = new Map<string, UsageTotals>();
  for (const r of rows) {
    const t = map.get(r[key]) ?? zero();
    add(t, r);
    map.set(r[key], t);
  }
  return [...map]
    .map(([k, t]) => ({ [key]: k, ...t }) as Record<K, string> & UsageTotals)
    .sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls);
}

export async function usageReport(viewer: Viewer, days: number): Promise<UsageReport> {
  await flushLedger();
  const prisma = await db();
  const to = new Date();
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate() - (days - 1)));
  const rows = (
    await prisma.usageDaily.findMany({
      where: { workspaceId: viewer.workspace.id, day: { gte: from } },
      orderBy: { day: "asc" },
    })
  ).map((r) => ({ ...r, day: r.day.toISOString().slice(0, 10) }));
  const totals = zero();
  rows.forEach((r) => add(totals, r));
  const byDayMap = new Map(group(rows, "day").map((d) => [d.day, d]));
  const byDay = Array.from({ length: days }, (_, i) => {
    const day = new Date(from.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    return byDayMap.get(day) ?? { day, ...zero() };
  });
  const userIds = [...new Set(rows.map((r) => r.userId).filter(Boolean))];
  const workflowIds = [...new Set(rows.map((r) => r.workflowId).filter(Boolean))];
  const [users, workflows, recent, keyRows] = await Promise.all([
    prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }),
    prisma.workflow.findMany({
      where: { id: { in: workflowIds }, workspaceId: viewer.workspace.id },
      select: { id: true, name: true },
    }),
    prisma.usageRecord.findMany({ where: { workspaceId: viewer.workspace.id }, orderBy: { at: "desc" }, take: 50 }),
    // Calls made with API keys (personal and the workspace's application keys), from the ledger.
    prisma.usageRecord.groupBy({
      by: ["apiKeyId"],
      where: { workspaceId: viewer.workspace.id, at: { gte: from }, apiKeyId: { not: null } },
      _count: { _all: true },
      _sum: { costUsd: true, inputTokens: true, outputTokens: true },
    }),
  ]);
  const keyNames = new Map(
    (
      await prisma.apiKey.findMany({
        where: { id: { in: keyRows.map((k) => k.apiKeyId!) }, workspaceId: viewer.workspace.id },
        select: { id: true, name: true, kind: true },
      })
    ).map((k) => [k.id, `${k.name} (${k.kind === "APPLICATION" ? "application key" : "personal key"})`]),
  );
  const userName = new Map(users.map((u) => [u.id, u.name]));
  const workflowName = new Map(workflows.map((w) => [w.id, w.name]));
  const moreUsers = recent.filter((r) => r.userId && !userName.has(r.userId)).map((r) => r.userId!);
  for (const u of await prisma.user.findMany({ where: { id: { in: moreUsers } }, select: { id: true, name: true } }))
    userName.set(u.id, u.name);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    totals,
    byDay,
    byModel: group(rows, "alias"),
    byUser: group(rows, "userId").map((u) => ({
      ...u,
      name: u.userId ? (userName.get(u.userId) ?? "(removed)") : "(no person)",
    })),
    byWorkflow: group(rows, "workflowId").map((w) => ({
      ...w,
      name: w.workflowId ? (workflowName.get(w.workflowId) ?? "(deleted workflow)") : "API calls",
    })),
    byKey: keyRows
      .map((k) => ({
        apiKeyId: k.apiKeyId!,
        name: keyNames.get(k.apiKeyId!) ?? "(deleted key)",
        calls: k._count._all,
        costUsd: k._sum.costUsd ?? 0,
        tokens: (k._sum.inputTokens ?? 0) + (k._sum.outputTokens ?? 0),
      }))
      .sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls),
    recent: recent.map((r) => ({
      at: r.at.toISOString(),
      alias: r.alias,
      modelId: r.modelId,
      user: r.userId ? (userName.get(r.userId) ?? "(removed)") : "",
      workflow: r.workflowId ? (workflowName.get(r.workflowId) ?? "") : "",
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      costUsd: r.costUsd,
      latencyMs: r.latencyMs,
      ttftMs: r.ttftMs,
      status: r.status,
      error: r.error,
      cacheHit: r.cacheHit,
      source: r.source,
    })),
  };
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""').replace(/^([=+\-@])/, "'$1")}"` : s;
};

/** Every ledger row of the period as CSV (one line per call). */
export async function usageCsv(viewer: Viewer, days: number): Promise<string> {
  await flushLedger();
  const prisma = await db();
  const from = new Date(Date.now() - days * 86_400_000);
  const rows = await prisma.usageRecord.findMany({
    where: { workspaceId: viewer.workspace.id, at: { gte: from } },
    orderBy: { at: "asc" },
    take: 100_000,
  });
  const users = new Map(
    (
      await prisma.user.findMany({
        where: { id: { in: [...new Set(rows.map((r) => r.userId).filter((x): x is string => !!x))] } },
        select: { id: true, email: true },
      })
    ).map((u) => [u.id, u.email]),
  );
  const header = [
    "time",
    "user",
    "source",
    "run",
    "step",
    "workflow",
    "model",
    "deployment_model",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "latency_ms",
    "ttft_ms",
    "status",
    "cache_hit",
    "error",
  ];
  const lines = rows.map((r) =>
    [
      r.at.toISOString(),
      r.userId ? users.get(r.userId) : "",
      r.source,
      r.runId,
      r.nodeId,
      r.workflowId,
      r.alias,
      r.modelId,
      r.inputTokens,
      r.outputTokens,
      r.costUsd.toFixed(6),
      r.latencyMs,
      r.ttftMs,
      r.status,
      r.cacheHit,
      r.error,
    ]
      .map(csvCell)
      .join(","),
  );
  return [header.join(","), ...lines].join("\n") + "\n";
}
