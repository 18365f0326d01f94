import "server-only";
import type { Viewer } from "../auth/session";
import { db } from "../db/client";
import { Prisma } from "../db/generated/client";
import type { Dashboard, DashboardQuery } from "../schemas/dashboard";
import { stepLabels } from "./step-labels";

/**
 * The numbers operators ask for, over a time range, for the workspace or one workflow (and
 * one of its versions): runs, completion and error rates, latency percentiles, cost per run,
 * tokens, reviews, slowest steps, frequent errors, spend by model. Top-level runs only (a
 * sub-workflow's child run is part of its parent). Computed in SQL over indexed columns.
 */
/** How many of the period's most recent runs the slowest-steps figures come from. */
const STEP_SAMPLE = 2_000;
const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

export async function dashboard(
  viewer: Viewer,
  q: DashboardQuery,
  options: { totalsOnly?: boolean } = {},
): Promise<Dashboard> {
  const none = Promise.resolve([] as Record<string, unknown>[]);
  const unless = (query: () => Promise<Record<string, unknown>[]>) => (options.totalsOnly ? none : query());
  const prisma = await db();
  const ws = viewer.workspace.id;
  const to = new Date();
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate() - (q.days - 1)));
  const wf = q.workflowId ?? null;
  const version = q.version ?? null;
  const trigger = q.trigger ?? null;
  // Filters are added only when set (no "$1 IS NULL OR ..." that would keep a cached plan off the indexes).
  const scope = Prisma.sql`${wf === null ? Prisma.empty : Prisma.sql` AND r."workflowId" = ${wf}`}${version === null ? Prisma.empty : Prisma.sql` AND r.version = ${version}`}${trigger === null ? Prisma.empty : Prisma.sql` AND r."trigger" = ${trigger}`}`;

  // Every query reads runs (their steps rolled up onto them when they settle) through the
  // dashboard's covering index; they run side by side.
  const [[totals], byDay, byWorkflow, slowest, errors, [reviews], models, guardrails] = await Promise.all([
    prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT count(*) FILTER (WHERE r."parentRunId" IS NULL)::int AS runs,
             count(*) FILTER (WHERE r."parentRunId" IS NULL AND r.status = 'COMPLETED')::int AS completed,
             count(*) FILTER (WHERE r."parentRunId" IS NULL AND r.status = 'FAILED')::int AS failed,
             count(*) FILTER (WHERE r."parentRunId" IS NULL AND r.status = 'CANCELLED')::int AS cancelled,
             count(*) FILTER (WHERE r."parentRunId" IS NULL AND r.status IN ('QUEUED', 'RUNNING', 'WAITING'))::int AS active,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY r."durationMs") FILTER (WHERE r."parentRunId" IS NULL AND r.status = 'COMPLETED') AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY r."durationMs") FILTER (WHERE r."parentRunId" IS NULL AND r.status = 'COMPLETED') AS p95,
             coalesce(sum(r."costUsd"), 0) AS cost, coalesce(sum(r."inputTokens"), 0)::bigint AS "inputTokens", coalesce(sum(r."outputTokens"), 0)::bigint AS "outputTokens"
      FROM "Run" r
      WHERE r."workspaceId" = ${ws} AND r."createdAt" >= ${from}
        AND TRUE ${scope}`,
    unless(
      () =>
        prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT to_char(d, 'YYYY-MM-DD') AS day, runs, completed, failed, cost FROM (
        SELECT date_trunc('day', r."createdAt") AS d,
               count(*)::int AS runs,
               count(*) FILTER (WHERE r.status = 'COMPLETED')::int AS completed,
               count(*) FILTER (WHERE r.status = 'FAILED')::int AS failed,
               coalesce(sum(r."costUsd"), 0) AS cost
        FROM "Run" r
        WHERE r."workspaceId" = ${ws} AND r."parentRunId" IS NULL AND r."createdAt" >= ${from}
          AND TRUE ${scope}
        GROUP BY 1
      ) x ORDER BY d`,
    ),
    unless(
      () =>
        prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT r."workflowId" AS id,
             count(*)::int AS runs,
             count(*) FILTER (WHERE r.status = 'COMPLETED')::int AS completed,
             count(*) FILTER (WHERE r.status = 'FAILED')::int AS failed,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY r."durationMs") FILTER (WHERE r.status = 'COMPLETED') AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY r."durationMs") FILTER (WHERE r.status = 'COMPLETED') AS p95,
             coalesce(sum(r."costUsd"), 0) AS cost
      FROM "Run" r
      WHERE r."workspaceId" = ${ws} AND r."parentRunId" IS NULL AND r."createdAt" >= ${from}
        AND TRUE ${scope}
      GROUP BY r."workflowId" ORDER BY runs DESC LIMIT 50`,
    ),
    // Steps: over the period's most recent runs (at most SAMPLE), so the cost is bounded however many ran.
    unless(
      () =>
        prisma.$queryRaw<Record<string, unknown>[]>`
      WITH recent AS (
        SELECT r.id, r."workflowId" FROM "Run" r
        WHERE r."workspaceId" = ${ws} AND r."createdAt" >= ${from}
          AND TRUE ${scope}
        ORDER BY r."createdAt" DESC LIMIT ${STEP_SAMPLE}
      )
      SELECT s."nodeId", s.kind, recent."workflowId", count(*)::int AS runs,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM s."endedAt" - s."startedAt") * 1000) AS p50,
             max(extract(epoch FROM s."endedAt" - s."startedAt") * 1000) AS max
      FROM recent CROSS JOIN LATERAL (
        SELECT x."nodeId", x.kind, x."startedAt", x."endedAt" FROM "RunStep" x
        WHERE x."runId" = recent.id AND x.status = 'done' AND x."endedAt" IS NOT NULL AND x.kind NOT IN ('start', 'output', 'human-review')
        OFFSET 0 -- a fence: look steps up per run by index, not by scanning every step
      ) s
      GROUP BY s."nodeId", s.kind, recent."workflowId" ORDER BY p50 DESC LIMIT 8`,
    ),
    unless(
      () =>
        prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT left(r.error, 300) AS error, count(*)::int AS runs, max(r."createdAt") AS last
      FROM "Run" r
      WHERE r."workspaceId" = ${ws} AND r."parentRunId" IS NULL AND r."createdAt" >= ${from} AND r.status = 'FAILED'
        AND TRUE ${scope}
      GROUP BY 1 ORDER BY runs DESC, last DESC LIMIT 8`,
    ),
    prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT count(*) FILTER (WHERE v.status = 'PENDING')::int AS pending,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM v."decidedAt" - v."createdAt") * 1000) FILTER (WHERE v."decidedAt" IS NOT NULL) AS "medianDecisionMs"
      FROM "Review" v JOIN "Run" r ON r.id = v."runId"
      WHERE v."workspaceId" = ${ws} AND v."createdAt" >= ${from}
        AND TRUE ${scope}`,
    // Spend by model: the ledger's daily totals of workflow calls; per version, the ledger rows of that version's runs.
    unless(() =>
      version === null
        ? prisma.$queryRaw<Record<string, unknown>[]>`
          SELECT d.alias, sum(d.calls)::int AS calls, coalesce(sum(d."costUsd"), 0) AS cost, coalesce(sum(d."inputTokens" + d."outputTokens"), 0)::bigint AS tokens
          FROM "UsageDaily" d
          WHERE d."workspaceId" = ${ws} AND d.day >= ${from}::date AND d."workflowId" <> '' ${wf === null ? Prisma.empty : Prisma.sql`AND d."workflowId" = ${wf}`}
          GROUP BY d.alias ORDER BY cost DESC, calls DESC`
        : prisma.$queryRaw<Record<string, unknown>[]>`
          SELECT u.alias, count(*)::int AS calls, coalesce(sum(u."costUsd"), 0) AS cost, coalesce(sum(u."inputTokens" + u."outputTokens"), 0)::bigint AS tokens
          FROM "Run" r CROSS JOIN LATERAL (
            SELECT x.alias, x."costUsd", x."inputTokens", x."outputTokens" FROM "UsageRecord" x WHERE x."runId" = r.id AND x.source = 'workflow' OFFSET 0
          ) u
          WHERE r."workspaceId" = ${ws} AND r."createdAt" >= ${from} AND r."workflowId" = ${wf} AND r.version = ${version}
          GROUP BY u.alias ORDER BY cost DESC, calls DESC`,
    ),
    // What guardrail policies did to the period's calls (a run's, when the dashboard is narrowed to runs).
    unless(
      () =>
        prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT g.kind, count(*)::int AS n FROM "GuardrailViolation" g
      WHERE g."workspaceId" = ${ws} AND g.at >= ${from}
        ${wf === null && version === null && trigger === null ? Prisma.empty : Prisma.sql`AND EXISTS (SELECT 1 FROM "Run" r WHERE r.id = g."runId" ${scope})`}
      GROUP BY 1 ORDER BY n DESC`,
    ),
  ]);
  // Slowest steps are named as the workflow's draft names them now (their figures are per node id).
  const [named, graphs] = await Promise.all([
    prisma.workflow.findMany({
      where: { id: { in: [...new Set([...byWorkflow, ...slowest].map((w) => String(w.id ?? w.workflowId)))] } },
      select: { id: true, name: true },
    }),
    prisma.workflow.findMany({
      where: { id: { in: [...new Set(slowest.map((s) => String(s.workflowId)))] } },
      select: { id: true, graph: true },
    }),
  ]);
  const names = new Map(named.map((w) => [w.id, w.name]));
  const labels = new Map(graphs.map((w) => [w.id, stepLabels(w.graph)]));
  const spend = totals;

  const runs = n(totals?.runs);
  const ended = n(totals?.completed) + n(totals?.failed) + n(totals?.cancelled);
  const days = Array.from({ length: q.days }, (_, i) =>
    new Date(from.getTime() + i * 86_400_000).toISOString().slice(0, 10),
  );
  const dayMap = new Map(byDay.map((d) => [String(d.day), d]));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    totals: {
      runs,
      completed: n(totals?.completed),
      failed: n(totals?.failed),
      cancelled: n(totals?.cancelled),
      active: n(totals?.active),
      completionRate: ended ? n(totals?.completed) / ended : null,
      errorRate: ended ? n(totals?.failed) / ended : null,
      p50Ms: totals?.p50 === null ? null : Math.round(n(totals?.p50)),
      p95Ms: totals?.p95 === null ? null : Math.round(n(totals?.p95)),
      costUsd: n(spend?.cost),
      costPerRunUsd: runs ? n(spend?.cost) / runs : null,
      inputTokens: n(spend?.inputTokens),
      outputTokens: n(spend?.outputTokens),
      reviewsPending: n(reviews?.pending),
      medianDecisionMs: reviews?.medianDecisionMs === null ? null : Math.round(n(reviews?.medianDecisionMs)),
    },
    byDay: days.map((day) => {
      const d = dayMap.get(day);
      return { day, runs: n(d?.runs), completed: n(d?.completed), failed: n(d?.failed), costUsd: n(d?.cost) };
    }),
    byWorkflow: byWorkflow.map((w) => ({
      id: String(w.id),
      name: names.get(String(w.id)) ?? "Deleted workflow",
      runs: n(w.runs),
      completed: n(w.completed),
      failed: n(w.failed),
      p50Ms: w.p50 === null ? null : Math.round(n(w.p50)),
      p95Ms: w.p95 === null ? null : Math.round(n(w.p95)),
      costPerRunUsd: n(w.runs) ? n(w.cost) / n(w.runs) : 0,
    })),
    slowestSteps: slowest.map((s) => ({
      nodeId: String(s.nodeId),
      label: labels.get(String(s.workflowId))?.[String(s.nodeId)] ?? String(s.nodeId),
      kind: String(s.kind),
      workflowName: names.get(String(s.workflowId)) ?? "Deleted workflow",
      runs: n(s.runs),
      p50Ms: Math.round(n(s.p50)),
      maxMs: Math.round(n(s.max)),
    })),
    errors: errors.map((e) => ({
      error: String(e.error ?? "(no message)"),
      runs: n(e.runs),
      last: new Date(String(e.last)).toISOString(),
    })),
    spendByModel: models.map((m) => ({
      alias: String(m.alias),
      calls: n(m.calls),
      costUsd: n(m.cost),
      tokens: n(m.tokens),
    })),
    guardrails: guardrails.map((g) => ({ kind: String(g.kind), count: n(g.n) })),
  };
}
