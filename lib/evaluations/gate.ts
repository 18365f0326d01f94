import "server-only";
import type { Viewer } from "../auth/session";
import { db } from "../db/client";
import { AppError, notFound } from "../errors/app-error";
import { storedSuiteOf, type GateView } from "../schemas/evaluations";
import { workflowGraphSchema, type WorkflowGraph } from "../schemas/workflow";

/** A graph as the gate compares it: where steps sit on the canvas does not change what runs. */
const shape = (graph: WorkflowGraph) =>
  JSON.stringify({ ...graph, nodes: graph.nodes.map(({ position: _where, ...n }) => n) });

/**
 * The publish gate: publishing needs an evaluation of the draft exactly as it is now that
 * passed at least the gate's rate, with no case that passed on the current version's last
 * evaluation failing now.
 */
export async function gateStatus(workspaceId: string, workflowId: string): Promise<GateView> {
  const prisma = await db();
  const wf = await prisma.workflow.findFirst({ where: { id: workflowId, workspaceId, deletedAt: null } });
  if (!wf) throw notFound("Workflow");
  const gate = storedSuiteOf(wf.suite).gate;
  const none = { required: false, passRate: null, ok: true, why: null, evaluation: null, regressions: 0 };
  if (!gate) return none;
  const draft = shape(workflowGraphSchema.parse(wf.graph));
  const ofDraft = (
    await prisma.evaluation.findMany({
      where: { workflowId, version: null, status: "COMPLETED" },
      orderBy: { createdAt: "desc" },
      take: 20,
      include: { results: { select: { caseId: true, passed: true } } },
    })
  ).find((e) => shape(workflowGraphSchema.parse(e.graph)) === draft);
  const base = { required: true, passRate: gate.passRate };
  if (!ofDraft)
    return {
      ...base,
      ok: false,
      why: "The draft as it is now has not been evaluated: run an evaluation of the draft.",
      evaluation: null,
      regressions: 0,
    };
  const rate = ofDraft.done ? Math.round((ofDraft.passed / ofDraft.done) * 1000) / 10 : 0;
  const evaluation = { id: ofDraft.id, passed: ofDraft.passed, done: ofDraft.done, rate };
  const published = await prisma.workflowVersion.findFirst({ where: { workflowId }, orderBy: { version: "desc" } });
  const ofVersion = published
    ? await prisma.evaluation.findFirst({
        where: { workflowId, version: published.version, status: "COMPLETED" },
        orderBy: { createdAt: "desc" },
        include: { results: { select: { caseId: true, passed: true } } },
      })
    : null;
  const nowFails = new Set(ofDraft.results.filter((r) => r.passed !== true).map((r) => r.caseId));
  const regressions = ofVersion?.results.filter((r) => r.passed === true && nowFails.has(r.caseId)).length ?? 0;
  const problems = [
    rate < gate.passRate ? `The draft passed ${rate}% of its cases; the gate asks for ${gate.passRate}%.` : "",
    regressions
      ? `${regressions} ${regressions === 1 ? "case that passed" : "cases that passed"} on version ${published!.version} ${regressions === 1 ? "fails" : "fail"} on the draft.`
      : "",
  ].filter(Boolean);
  const why = problems.length ? problems.join(" ") : null;
  return { ...base, ok: why === null, why, evaluation, regressions };
}

/**
 * Refuses a publish the gate does not allow, unless an admin overrides it with a reason;
 * answers the reason when the publish goes over the gate (for the audit), else undefined.
 */
export async function checkGate(
  viewer: Viewer,
  workflowId: string,
  override: string | undefined,
): Promise<string | undefined> {
  const gate = await gateStatus(viewer.workspace.id, workflowId);
  if (gate.ok) return undefined;
  if (override && viewer.role === "ADMIN") return override;
  throw new AppError(
    "conflict",
    `The evaluation gate did not pass: ${gate.why}${override ? " Only an admin may publish over the gate." : ""}`,
  );
}
