import "server-only";
import { db } from "../db/client";
import type { Viewer } from "../auth/session";
import type { ReviewRequest } from "../engine/ports";
import { notFound } from "../errors/app-error";
import { getRun } from "../runs/read-runs";
import { can } from "../schemas/permissions";

export interface ReviewListItem {
  id: string;
  runId: string;
  workflowName: string;
  stepLabel: string;
  instructions: string;
  createdAt: string;
}

/**
 * Whether this person may decide this review: never the person who started the run unless the
 * step allows it; then admins always, others by role or by email.
 */
export function mayDecide(viewer: Viewer, request: ReviewRequest, startedById?: string | null): boolean {
  if (startedById && startedById === viewer.user.id && !request.allowSelfApproval) return false;
  if (viewer.role === "ADMIN") return true;
  if (request.reviewerEmail) return request.reviewerEmail.toLowerCase() === viewer.user.email;
  return request.reviewerRole === viewer.role;
}

/** Pending reviews of the workspace this person may decide, oldest first. */
export async function listPendingReviews(viewer: Viewer): Promise<ReviewListItem[]> {
  const prisma = await db();
  const rows = await prisma.review.findMany({ where: { workspaceId: viewer.workspace.id, status: "PENDING" }, orderBy: { createdAt: "asc" }, take: 200 });
  const runs = await prisma.run.findMany({ where: { id: { in: rows.map((r) => r.runId) } }, select: { id: true, workflowId: true, graph: true, startedById: true } });
  const workflows = await prisma.workflow.findMany({ where: { id: { in: runs.map((r) => r.workflowId) } }, select: { id: true, name: true } });
  const runById = new Map(runs.map((r) => [r.id, r]));
  const nameOf = new Map(workflows.map((w) => [w.id, w.name]));
  return rows
    .filter((r) => mayDecide(viewer, r.payload as unknown as ReviewRequest, runById.get(r.runId)?.startedById))
    .map((r) => {
      const run = runById.get(r.runId);
      const node = (run?.graph as { nodes?: { id: string; label: string }[] } | undefined)?.nodes?.find((n) => n.id === r.nodeId);
      return {
        id: r.id,
        runId: r.runId,
        workflowName: (run && nameOf.get(run.workflowId)) ?? "Deleted workflow",
        stepLabel: node?.label ?? r.nodeId,
        instructions: (r.payload as unknown as ReviewRequest).instructions,
        createdAt: r.createdAt.toISOString(),
      };
    });
}

/** One review with what the reviewer needs to decide: the request and the run so far. */
export async function getReview(viewer: Viewer, id: string) {
  const prisma = await db();
  const row = await prisma.review.findFirst({ where: { id, workspaceId: viewer.workspace.id } });
  if (!row) throw notFound("Review");
  const request = row.payload as unknown as ReviewRequest;
  const run = await getRun(viewer.workspace.id, row.runId);
  const started = await prisma.run.findUnique({ where: { id: row.runId }, select: { startedById: true } });
  const ownRun = started?.startedById === viewer.user.id && !request.allowSelfApproval;
  return {
    id: row.id,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decision: row.decision as { outcome: string; comment: string } | null,
    request,
    mayDecide: mayDecide(viewer, request, started?.startedById),
    /** Why not, when this person may not decide it. */
    whyNot: ownRun ? "You started this run; this step needs someone else to decide it." : request.reviewerEmail ? `This review is assigned to ${request.reviewerEmail}.` : `This review is for the ${request.reviewerRole.toLowerCase()} role.`,
    /** The run page is for builders and admins; reviewers see the run so far here. */
    canOpenRun: can(viewer.role, "workflows:read"),
    run: { id: run.id, workflowName: run.workflowName, input: run.input, steps: run.steps.filter((s) => s.status === "done").map((s) => ({ nodeId: s.nodeId, label: run.labels[s.nodeId] ?? s.nodeId, output: s.output })) },
  };
}
export type ReviewDetail = Awaited<ReturnType<typeof getReview>>;

export interface DecidedReview {
  id: string;
  runId: string;
  workflowName: string;
  stepLabel: string;
  outcome: string;
  comment: string;
  decidedBy: string;
  decidedAt: string;
  createdAt: string;
  /** The content as it was asked about, and as approved, when the reviewer edited it. */
  edit: { before: string; after: string } | null;
}

const asText = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v, null, 2));

/** Decided reviews of the workspace, newest first: who, when, what, and what they changed. */
export async function listDecidedReviews(viewer: Viewer, take = 100): Promise<DecidedReview[]> {
  const prisma = await db();
  const rows = await prisma.review.findMany({ where: { workspaceId: viewer.workspace.id, status: "DECIDED" }, orderBy: { decidedAt: "desc" }, take });
  const runs = await prisma.run.findMany({ where: { id: { in: rows.map((r) => r.runId) } }, select: { id: true, workflowId: true, graph: true } });
  const workflows = await prisma.workflow.findMany({ where: { id: { in: runs.map((r) => r.workflowId) } }, select: { id: true, name: true } });
  const people = await prisma.user.findMany({ where: { id: { in: rows.map((r) => r.decidedById).filter((x): x is string => !!x) } }, select: { id: true, name: true } });
  const runById = new Map(runs.map((r) => [r.id, r]));
  const nameOf = new Map(workflows.map((w) => [w.id, w.name]));
  const personOf = new Map(people.map((p) => [p.id, p.name]));
  return rows.map((r) => {
    const run = runById.get(r.runId);
    const node = (run?.graph as { nodes?: { id: string; label: string }[] } | undefined)?.nodes?.find((n) => n.id === r.nodeId);
    const decision = (r.decision ?? {}) as { outcome?: string; comment?: string; content?: unknown; reviewer?: string };
    const before = asText((r.payload as unknown as ReviewRequest).content);
    const after = asText(decision.content);
    return {
      id: r.id,
      runId: r.runId,
      workflowName: (run && nameOf.get(run.workflowId)) ?? "Deleted workflow",
      stepLabel: node?.label ?? r.nodeId,
      outcome: decision.outcome ?? "—",
      comment: decision.comment ?? "",
      decidedBy: (r.decidedById && personOf.get(r.decidedById)) ?? decision.reviewer ?? (decision.outcome === "cancelled" ? "(run cancelled)" : "—"),
      decidedAt: (r.decidedAt ?? r.createdAt).toISOString(),
      createdAt: r.createdAt.toISOString(),
      edit: decision.content !== undefined && after !== before ? { before, after } : null,
    };
  });
}
