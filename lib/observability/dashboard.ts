import "server-only";
import type { Viewer } from "../auth/session";
import { db } from "../db/client";
import type { Dashboard, DashboardQuery } from "../schemas/dashboard";

/**
 * The numbers operators ask for, over a time range, for the workspace or one workflow (and
 * one of its versions): runs, completion and error rates, latency percentiles, cost per run,
 * tokens, reviews, slowest steps, frequent errors, spend by model. Top-level runs only (a
 * sub-workflow's child run is part of its parent). Computed in SQL over indexed columns.
 */
const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

export async function dashboard(viewer: Viewer, q: DashboardQuery): Promise<Dashboard> {
  const prisma = await db();
  const ws = viewer.workspace.id;
  const to = new Date();
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate() - (q.days - 1)));
  const wf = q.workflowId ?? null;
  const version = q.version ?? null;

  const [totals] = await prisma.$queryRaw<Record<string, unknown>[]>`
    SELECT count(*)::int AS runs,
           count(*) FILTER (WHERE r.status = 'COMPLETED')::int AS completed,
           count(*) FILTER (WHERE r.status = 'FAILED')::int AS failed,
           count(*) FILTER (WHERE r.status = 'CANCELLED')::int AS cancelled,
           count(*) FILTER (WHERE r.status IN ('QUEUED', 'RUNNING', 'WAITING'))::int AS active,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r."endedAt" - r."createdAt") * 1000) FILTER (WHERE r.status = 'COMPLETED') AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM r."endedAt" - r."createdAt") * 1000) FILTER (WHERE r.status = 'COMPLETED') AS p95
    FROM "Run" r
    WHERE r."workspaceId" = ${ws} AND r."parentRunId" IS NULL AND r."createdAt" >= ${from}
      AND (${wf}::text IS NULL OR r."workflowId" = ${wf}) AND (${version}::int IS NULL OR r.version = ${version})`;

  const [spend] = await prisma.$queryRaw<Record<string, unknown>[]>`
    SELECT coalesce(sum(s."costUsd"), 0) AS cost, coalesce(sum(s."inputTokens"), 0)::bigint AS "inputTokens", coalesce(sum(s."outputTokens"), 0)::bigint AS "outputTokens"
    FROM "RunStep" s JOIN "Run" r ON r.id = s."runId"
    WHERE r."workspaceId" = ${ws} AND r."createdAt" >= ${from}
      AND (${wf}::text IS NULL OR r."workflowId" = ${wf}) AND (${version}::int IS NULL OR r.version = ${version})`;

  const byDay = await prisma.$queryRaw<Record<string, unknown>[]>`
    WITH cost AS (SELECT s."runId", sum(s."costUsd") AS cost FROM "RunStep" s JOIN "Run" x ON x.id = s."runId" WHERE x."workspaceId" = ${ws} AND x."createdAt" >= ${from} GROUP BY s."runId")
    SELECT to_char(date_trunc('day', r."createdAt"), 'YYYY-MM-DD') AS day,
           count(*)::int AS runs,
           count(*) FILTER (WHERE r.status = 'COMPLETED')::int AS completed,
           count(*) FILTER (WHERE r.status = 'FAILED')::int AS failed,
           coalesce(sum(c.cost), 0) AS cost
    FROM "Run" r LEFT JOIN cost c ON c."runId" = r.id
    WHERE r."workspaceId" = ${ws} AND r."parentRunId" IS NULL AND r."createdAt" >= ${from}
      AND (${wf}::text IS NULL OR r."workflowId" = ${wf}) AND (${version}::int IS NULL OR r.version = ${version})
    GROUP BY 1 ORDER BY 1`;

  const byWorkflow = await prisma.$queryRaw<Record<string, unknown>[]>`
    WITH cost AS (SELECT s."runId", sum(s."costUsd") AS cost FROM "RunStep" s JOIN "Run" x ON x.id = s."runId" WHERE x."workspaceId" = ${ws} AND x."createdAt" >= ${from} GROUP BY s."runId")
    SELECT r."workflowId" AS id, w.name,
           count(*)::int AS runs,
           count(*) FILTER (WHERE r.status = 'COMPLETED')::int AS completed,
           count(*) FILTER (WHERE r.status = 'FAILED')::int AS failed,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r."endedAt" - r."createdAt") * 1000) FILTER (WHERE r.status = 'COMPLETED') AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM r."endedAt" - r."createdAt") * 1000) FILTER (WHERE r.status = 'COMPLETED') AS p95,
           coalesce(sum(c.cost), 0) AS cost
    FROM "Run" r JOIN "Workflow" w ON w.id = r."workflowId" LEFT JOIN cost c ON c."runId" = r.id
    WHERE r."workspaceId" = ${ws} AND r."parentRunId" IS NULL AND r."createdAt" >= ${from}
      AND (${wf}::text IS NULL OR r."workflowId" = ${wf}) AND (${version}::int IS NULL OR r.version = ${version})
    GROUP BY r."workflowId", w.name ORDER BY runs DESC LIMIT 50`;

  const slowest = await prisma.$queryRaw<Record<string, unknown>[]>`
    SELECT s."nodeId", s.kind, r."workflowId", w.name AS "workflowName", count(*)::int AS runs,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM s."endedAt" - s."startedAt") * 1000) AS p50,
           max(extract(epoch FROM s."endedAt" - s."startedAt") * 1000) AS max
    FROM "RunStep" s JOIN "Run" r ON r.id = s."runId" JOIN "Workflow" w ON w.id = r."workflowId"
    WHERE r."workspaceId" = ${ws} AND r."createdAt" >= ${from} AND s.status = 'done' AND s."endedAt" IS NOT NULL AND s.kind NOT IN ('start', 'output', 'human-review')
      AND (${wf}::text IS NULL OR r."workflowId" = ${wf}) AND (${version}::int IS NULL OR r.version = ${version})
    GROUP BY s."nodeId", s.kind, r."workflowId", w.name ORDER BY p50 DESC LIMIT 8`;

  const errors = await prisma.$queryRaw<Record<string, unknown>[]>`
    SELECT left(r.error, 300) AS error, count(*)::int AS runs, max(r."createdAt") AS last
    FROM "Run" r
    WHERE r."workspaceId" = ${ws} AND r."parentRunId" IS NULL AND r."createdAt" >= ${from} AND r.status = 'FAILED'
      AND (${wf}::text IS NULL OR r."workflowId" = ${wf}) AND (${version}::int IS NULL OR r.version = ${version})
    GROUP BY 1 ORDER BY runs DESC, last DESC LIMIT 8`;

  const [reviews] = await prisma.$queryRaw<Record<string, unknown>[]>`
    SELECT count(*) FILTER (WHERE v.status = 'PENDING')::int AS pending,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM v."decidedAt" - v."createdAt") * 1000) FILTER (WHERE v."decidedAt" IS NOT NULL) AS "medianDecisionMs"
    FROM "Review" v JOIN "Run" r ON r.id = v."runId"
    WHERE v."workspaceId" = ${ws} AND v."createdAt" >= ${from}
      AND (${wf}::text IS NULL OR r."workflowId" = ${wf}) AND (${version}::int IS NULL OR r.version = ${version})`;

  const models = await prisma.$queryRaw<Record<string, unknown>[]>`
    SELECT u.alias, count(*)::int AS calls, coalesce(sum(u."costUsd"), 0) AS cost, coalesce(sum(u."inputTokens" + u."outputTokens"), 0)::bigint AS tokens
    FROM "UsageRecord" u LEFT JOIN "Run" r ON r.id = u."runId"
    WHERE u."workspaceId" = ${ws} AND u.at >= ${from} AND u.source = 'workflow'
      AND (${wf}::text IS NULL OR u."workflowId" = ${wf}) AND (${version}::int IS NULL OR r.version = ${version})
    GROUP BY u.alias ORDER BY cost DESC, calls DESC`;

  const runs = n(totals?.runs);
  const ended = n(totals?.completed) + n(totals?.failed) + n(totals?.cancelled);
  const days = Array.from({ length: q.days }, (_, i) => new Date(from.getTime() + i * 86_400_000).toISOString().slice(0, 10));
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
    byWorkflow: byWorkflow.map((w) => ({ id: String(w.id), name: String(w.name), runs: n(w.runs), completed: n(w.completed), failed: n(w.failed), p50Ms: w.p50 === null ? null : Math.round(n(w.p50)), p95Ms: w.p95 === null ? null : Math.round(n(w.p95)), costPerRunUsd: n(w.runs) ? n(w.cost) / n(w.runs) : 0 })),
    slowestSteps: slowest.map((s) => ({ nodeId: String(s.nodeId), kind: String(s.kind), workflowName: String(s.workflowName), runs: n(s.runs), p50Ms: Math.round(n(s.p50)), maxMs: Math.round(n(s.max)) })),
    errors: errors.map((e) => ({ error: String(e.error ?? "(no message)"), runs: n(e.runs), last: new Date(String(e.last)).toISOString() })),
    spendByModel: models.map((m) => ({ alias: String(m.alias), calls: n(m.calls), costUsd: n(m.cost), tokens: n(m.tokens) })),
  };
}
