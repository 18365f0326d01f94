import "server-only";
import type { Viewer } from "../auth/session";
import { db } from "../db/client";
import { notFound } from "../errors/app-error";
import type { CompareQuery, VersionComparison, VersionFigures } from "../schemas/dashboard";
import { dashboard } from "./dashboard";
import { stepLabels } from "./step-labels";

/**
 * Two published versions of a workflow side by side: the dashboard's totals, and each step's
 * median time and cost, named as that version names it. The step medians come from each
 * version's latest `STEP_SAMPLE` runs in the period, so their cost is bounded however many ran.
 */
export const STEP_SAMPLE = 1_000;
export async function compareVersions(viewer: Viewer, q: CompareQuery): Promise<VersionComparison> {
  const prisma = await db();
  const wf = await prisma.workflow.findFirst({
    where: { id: q.workflowId, workspaceId: viewer.workspace.id },
    select: { id: true },
  });
  if (!wf) throw notFound("Workflow");
  const [a, b] = await Promise.all([figures(viewer, q, q.a), figures(viewer, q, q.b)]);
  return { a, b };
}

async function figures(viewer: Viewer, q: CompareQuery, version: number): Promise<VersionFigures> {
  const prisma = await db();
  const to = new Date();
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate() - (q.days - 1))); // as the dashboard counts
  const [board, steps, published] = await Promise.all([
    dashboard(viewer, { days: q.days, workflowId: q.workflowId, version }, { totalsOnly: true }),
    prisma.$queryRaw<{ nodeId: string; runs: number; failed: number; p50: number | null; cost: number | null }[]>`
      SELECT s."nodeId",
             count(*) FILTER (WHERE s.status = 'done')::int AS runs,
             count(*) FILTER (WHERE s.status = 'failed')::int AS failed,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM s."endedAt" - s."startedAt") * 1000) FILTER (WHERE s.status = 'done' AND s."endedAt" IS NOT NULL) AS p50,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY s."costUsd") FILTER (WHERE s.status = 'done') AS cost
      FROM (
        SELECT r.id FROM "Run" r
        WHERE r."workspaceId" = ${viewer.workspace.id} AND r."workflowId" = ${q.workflowId} AND r.version = ${version} AND r."createdAt" >= ${from}
        ORDER BY r."createdAt" DESC LIMIT ${STEP_SAMPLE}
      ) r CROSS JOIN LATERAL (
        SELECT x."nodeId", x.status, x."startedAt", x."endedAt", x."costUsd" FROM "RunStep" x
        WHERE x."runId" = r.id AND x.kind NOT IN ('start', 'output') OFFSET 0
      ) s
      GROUP BY s."nodeId" ORDER BY s."nodeId"`,
    prisma.workflowVersion.findFirst({ where: { workflowId: q.workflowId, version }, select: { graph: true } }),
  ]);
  const labels = stepLabels(published?.graph);
  return {
    version,
    totals: board.totals,
    steps: steps.map((s) => ({
      nodeId: s.nodeId,
      label: labels[s.nodeId] ?? s.nodeId,
      runs: Number(s.runs),
      failed: Number(s.failed),
      p50Ms: s.p50 === null ? null : Math.round(Number(s.p50)),
      medianCostUsd: Number(s.cost ?? 0),
    })),
  };
}
