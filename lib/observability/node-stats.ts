import "server-only";
import type { Viewer } from "../auth/session";
import { db } from "../db/client";
import { notFound } from "../errors/app-error";
import type { NodeStats } from "../schemas/dashboard";

export type { NodeStats };

/**
 * Per step of a workflow, over its last `last` top-level runs (any version): how often it ran
 * and failed, its median and p95 time (for a review step: the wait), and its median cost and
 * tokens per run. For the canvas overlay. One query over RunStep by run id.
 */
export async function nodeStats(viewer: Viewer, workflowId: string, last: number): Promise<NodeStats> {
  const prisma = await db();
  const wf = await prisma.workflow.findFirst({
    where: { id: workflowId, workspaceId: viewer.workspace.id },
    select: { id: true },
  });
  if (!wf) throw notFound("Workflow");
  const rows = await prisma.$queryRaw<
    {
      nodeId: string;
      runs: number;
      failed: number;
      p50: number | null;
      p95: number | null;
      cost: number | null;
      total: number | null;
      tokens: number | null;
      sampled: number;
    }[]
  >`
    WITH recent AS (
      SELECT id FROM "Run" WHERE "workflowId" = ${workflowId} AND "workspaceId" = ${viewer.workspace.id} AND "parentRunId" IS NULL
      ORDER BY "createdAt" DESC LIMIT ${last}
    ), steps AS (
      SELECT s."nodeId", s.status, s."costUsd", s."inputTokens" + s."outputTokens" AS tokens,
             extract(epoch FROM s."endedAt" - s."startedAt") * 1000 AS ms
      FROM "RunStep" s WHERE s."runId" IN (SELECT id FROM recent) AND s.kind NOT IN ('start', 'output')
    )
    SELECT "nodeId",
           count(*) FILTER (WHERE status = 'done')::int AS runs,
           count(*) FILTER (WHERE status = 'failed')::int AS failed,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE status = 'done' AND ms IS NOT NULL) AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) FILTER (WHERE status = 'done' AND ms IS NOT NULL) AS p95,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY "costUsd") FILTER (WHERE status = 'done') AS cost,
           sum("costUsd") AS total,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY tokens) FILTER (WHERE status = 'done') AS tokens,
           (SELECT count(*)::int FROM recent) AS sampled
    FROM steps GROUP BY "nodeId"`;
  const runs =
    rows[0]?.sampled ??
    Number(
      (
        await prisma.$queryRaw<
          { n: number }[]
        >`SELECT count(*)::int AS n FROM (SELECT 1 FROM "Run" WHERE "workflowId" = ${workflowId} AND "parentRunId" IS NULL LIMIT ${last}) x`
      )[0]?.n ?? 0,
    );
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    runs,
    nodes: Object.fromEntries(
      rows.map((r) => [
        r.nodeId,
        {
          runs: Number(r.runs),
          failed: Number(r.failed),
          p50Ms: num(r.p50) === null ? null : Math.round(num(r.p50)!),
          p95Ms: num(r.p95) === null ? null : Math.round(num(r.p95)!),
          medianCostUsd: num(r.cost) ?? 0,
          totalCostUsd: num(r.total) ?? 0,
          medianTokens: Math.round(num(r.tokens) ?? 0),
        },
      ]),
    ),
  };
}
