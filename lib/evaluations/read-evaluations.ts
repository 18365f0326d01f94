import "server-only";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { recordAudit } from "../audit/record";
import type { Viewer } from "../auth/session";
import { AppError, notFound } from "../errors/app-error";
import {
  storedSuiteOf,
  suiteInputSchema,
  type Evaluator,
  type EvaluationView,
  type ResultView,
  type Score,
  type Suite,
  type SuiteInput,
} from "../schemas/evaluations";
import { patternProblem } from "../schemas/node-kinds/guardrail";
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
 * Saves the suite (review settings left out are kept). The publish gate guards what reaches
 * production: while a gate is set, only an admin may weaken what it relies on (remove the gate
 * or lower its rate, remove an evaluator, change how reviews are decided), and each such change
 * is audited.
 */
export async function saveSuite(viewer: Viewer, workflowId: string, input: SuiteInput): Promise<Suite> {
  const asked = suiteInputSchema.parse(input);
  // A pattern is checked when saved, not first when an evaluation runs (stored suites are read as they are).
  asked.evaluators.forEach((e, i) => {
    const problem = e.kind === "regex" ? patternProblem(e.pattern) : null;
    if (problem) throw new AppError("bad_request", `evaluators.${i}.pattern: ${problem}`);
  });
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const wf = await tx.workflow.findFirst({
      where: { id: workflowId, workspaceId: viewer.workspace.id, deletedAt: null },
    });
    if (!wf) throw notFound("Workflow");
    const stored = storedSuiteOf(wf.suite);
    const reviews = asked.reviews
      ? {
          ...asked.reviews,
          decisions: checkDecisions(
            workflowGraphSchema.parse(wf.graph),
            asked.reviews.decisions,
            stored.reviews.decisions,
          ),
        }
      : stored.reviews;
    const parsed: Suite = { ...asked, reviews };
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const kept = new Set(parsed.evaluators.map((e) => JSON.stringify(e)));
    const guarded = {
      gate: !same(stored.gate, parsed.gate),
      evaluators: stored.evaluators.some((e) => !kept.has(JSON.stringify(e))),
      reviews: !same(stored.reviews, parsed.reviews),
    };
    const weaker =
      stored.gate !== null &&
      (parsed.gate === null || parsed.gate.passRate < stored.gate.passRate || guarded.evaluators || guarded.reviews);
    if (weaker && viewer.role !== "ADMIN")
      throw new AppError(
        "forbidden",
        "Only an admin may weaken the publish gate: remove it, lower its pass rate, remove an evaluator, or change how reviews are decided.",
      );
    await tx.workflow.update({ where: { id: wf.id }, data: { suite: parsed as unknown as Prisma.InputJsonValue } });
    if (guarded.gate || (stored.gate !== null && (guarded.evaluators || guarded.reviews)))
      await recordAudit(tx, {
        workspaceId: viewer.workspace.id,
        actorId: viewer.user.id,
        action: "workflow.gate",
        targetType: "Workflow",
        targetId: wf.id,
        before: { gate: stored.gate ?? "none", evaluators: stored.evaluators, reviews: stored.reviews },
        after: { gate: parsed.gate ?? "none", evaluators: parsed.evaluators, reviews: parsed.reviews },
      });
    return parsed;
  });
}

/**
 * The decisions set for steps, as kept: each must name a step of the draft that asks a person
 * and an outcome it offers. One saved before that no longer fits (its step was removed or
 * changed since) is dropped; one asked for now that does not fit is refused, naming it.
 */
function checkDecisions(
  graph: WorkflowGraph,
  decisions: Record<string, string>,
  stored: Record<string, string>,
): Record<string, string> {
  const steps = new Map(reviewSteps(graph).map((n) => [n.id, n]));
  const kept: Record<string, string> = {};
  for (const [nodeId, outcome] of Object.entries(decisions)) {
    const step = steps.get(nodeId);
    const offered = step ? outcomesOf(step) : [];
    if (step && offered.includes(outcome)) kept[nodeId] = outcome;
    else if (stored[nodeId] === outcome) continue;
    else if (!step)
      throw new AppError(
        "bad_request",
        `reviews.decisions.${nodeId}: the draft has no step with this id that asks a person.`,
      );
    else
      throw new AppError(
        "bad_request",
        `reviews.decisions.${nodeId}: “${outcome}” is not an outcome of “${step.label || nodeId}” (it offers ${offered.join(", ")}).`,
      );
  }
  return kept;
}
