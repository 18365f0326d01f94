import "server-only";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { recordAudit } from "../audit/record";
import type { Viewer } from "../auth/session";
import { AppError, notFound } from "../errors/app-error";
import {
  storedSuiteOf,
  suiteSchema,
  type Evaluator,
  type EvaluationView,
  type ResultView,
  type Score,
  type Suite,
  type SuiteInput,
} from "../schemas/evaluations";
import { runOutputOf } from "../schemas/run";
import { workflowGraphSchema, type WorkflowGraph } from "../schemas/workflow";
import { outcomesOf, reviewSteps } from "./mocks";

/** The value at fraction `q` of sorted numbers (nearest rank), null for none. */
export function percentile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

type Row = Prisma.EvaluationGetPayload<{ include: { results: true } }>;

function view(e: Row): EvaluationView {
  const latencies = e.results.flatMap((r) => (r.latencyMs === null ? [] : [r.latencyMs])).sort((a, b) => a - b);
  return {
    id: e.id,
    workflowId: e.workflowId,
    version: e.version,
    status: e.status as EvaluationView["status"],
    evaluators: e.evaluators as Evaluator[],
    concurrency: e.concurrency,
    total: e.total,
    done: e.done,
    passed: e.passed,
    costUsd: e.costUsd,
    createdAt: e.createdAt.toISOString(),
    endedAt: e.endedAt?.toISOString() ?? null,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    results: e.results.map((r): ResultView => ({
      caseId: r.caseId,
      status: r.status as ResultView["status"],
      runId: r.runId,
      passed: r.passed,
      scores: (r.scores as Score[] | null) ?? [],
      output: r.output === null ? null : runOutputOf(r.output),
      error: r.error,
      latencyMs: r.latencyMs,
      costUsd: r.costUsd,
    })),
  };
}

export async function getEvaluation(workspaceId: string, id: string): Promise<EvaluationView> {
  const e = await (await db()).evaluation.findFirst({ where: { id, workspaceId }, include: { results: true } });
  if (!e) throw notFound("Evaluation");
  return view(e);
}

/** A workflow's evaluations, newest first (the last 20). */
export async function listEvaluations(workspaceId: string, workflowId: string): Promise<EvaluationView[]> {
  await getSuite(workspaceId, workflowId); // another workspace's workflow is not found
  const rows = await (
    await db()
  ).evaluation.findMany({
    where: { workspaceId, workflowId },
    orderBy: { createdAt: "desc" },
    take: 20,
    include: { results: true },
  });
  return rows.map(view);
}

/** A workflow's suite: evaluators, how reviews are decided, the publish gate. */
export async function getSuite(workspaceId: string, workflowId: string): Promise<Suite> {
  const wf = await (await db()).workflow.findFirst({ where: { id: workflowId, workspaceId, deletedAt: null } });
  if (!wf) throw notFound("Workflow");
  return storedSuiteOf(wf.suite);
}

/**
 * Saves the suite. The publish gate guards what reaches production: only an admin may change
 * it (remove it, or ask for less), and every change of it is audited.
 */
export async function saveSuite(viewer: Viewer, workflowId: string, suite: SuiteInput): Promise<Suite> {
  const parsed = suiteSchema.parse(suite);
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const wf = await tx.workflow.findFirst({
      where: { id: workflowId, workspaceId: viewer.workspace.id, deletedAt: null },
    });
    if (!wf) throw notFound("Workflow");
    checkDecisions(workflowGraphSchema.parse(wf.graph), parsed.reviews.decisions);
    const before = storedSuiteOf(wf.suite).gate;
    const gateChanged = JSON.stringify(before) !== JSON.stringify(parsed.gate);
    const weaker = before !== null && (parsed.gate === null || parsed.gate.passRate < before.passRate);
    if (weaker && viewer.role !== "ADMIN")
      throw new AppError("forbidden", "Only an admin may remove the publish gate or lower its pass rate.");
    await tx.workflow.update({ where: { id: wf.id }, data: { suite: parsed as unknown as Prisma.InputJsonValue } });
    if (gateChanged)
      await recordAudit(tx, {
        workspaceId: viewer.workspace.id,
        actorId: viewer.user.id,
        action: "workflow.gate",
        targetType: "Workflow",
        targetId: wf.id,
        before: before ?? { gate: "none" },
        after: parsed.gate ?? { gate: "none" },
      });
    return parsed;
  });
}

/** A decision set for a step must name a review step of the draft and an outcome it offers. */
function checkDecisions(graph: WorkflowGraph, decisions: Record<string, string>): void {
  const steps = new Map(reviewSteps(graph).map((n) => [n.id, n]));
  for (const [nodeId, outcome] of Object.entries(decisions)) {
    const step = steps.get(nodeId);
    if (!step)
      throw new AppError(
        "bad_request",
        `reviews.decisions.${nodeId}: the draft has no step with this id that asks a person.`,
      );
    const offered = outcomesOf(step);
    if (!offered.includes(outcome))
      throw new AppError(
        "bad_request",
        `reviews.decisions.${nodeId}: “${outcome}” is not an outcome of “${step.label || nodeId}” (it offers ${offered.join(", ")}).`,
      );
  }
}
