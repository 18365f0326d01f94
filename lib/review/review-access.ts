import "server-only";
import { db } from "../db/client";
import type { Viewer } from "../auth/session";
import type { RunView } from "../schemas/run";
import { parseReviewRequest } from "../schemas/review";
import { decidableBy, whyNot, type Decidable } from "./review-rules";
import { namesIn } from "../workspaces/member-names";

const decidableColumns = {
  id: true,
  reviewerRole: true,
  reviewerEmail: true,
  assigneeId: true,
  requesterId: true,
  allowSelfApproval: true,
  decidedById: true,
} as const;

/** Why this person may not decide each of these reviews (null: they may), by review id. */
async function reasonsFor(viewer: Viewer, rows: (Decidable & { id: string })[]): Promise<Map<string, string | null>> {
  const assigneeIds = [...new Set(rows.map((r) => r.assigneeId).filter((x): x is string => !!x))];
  const nameOf = await namesIn(viewer.workspace.id, assigneeIds);
  return new Map(rows.map((r) => [r.id, whyNot(viewer, r, r.assigneeId ? (nameOf.get(r.assigneeId) ?? null) : null)]));
}

/** A run as this person reads it: each pending review says whether they may decide it, and why not. */
export async function withReviewAccess(viewer: Viewer, run: RunView): Promise<RunView> {
  const pending = run.reviews.filter((r) => r.status === "PENDING").map((r) => r.id);
  if (!pending.length) return run;
  const prisma = await db();
  const rows = await prisma.review.findMany({
    where: { id: { in: pending }, workspaceId: viewer.workspace.id },
    select: decidableColumns,
  });
  const reasons = await reasonsFor(viewer, rows);
  return { ...run, reviews: run.reviews.map((r) => (reasons.has(r.id) ? { ...r, whyNot: reasons.get(r.id)! } : r)) };
}

export interface BlockedReview {
  id: string;
  runId: string;
  workflowId: string | null;
  workflowName: string;
  stepLabel: string;
  createdAt: string;
  whyNot: string;
}

/**
 * Pending reviews of runs this person started that they may not decide (so the inbox can name
 * them, with the reason and what to do, instead of saying nothing waits).
 */
export async function listBlockedReviews(viewer: Viewer): Promise<BlockedReview[]> {
  const prisma = await db();
  const rows = await prisma.review.findMany({
    where: {
      workspaceId: viewer.workspace.id,
      status: "PENDING",
      requesterId: viewer.user.id,
      NOT: decidableBy(viewer),
    },
    orderBy: { createdAt: "asc" },
    take: 20,
    select: { ...decidableColumns, runId: true, nodeId: true, payload: true, createdAt: true, workflowId: true },
  });
  if (!rows.length) return [];
  const workflowIds = [...new Set(rows.map((r) => r.workflowId).filter((x): x is string => !!x))];
  const [reasons, workflows] = await Promise.all([
    reasonsFor(viewer, rows),
    prisma.workflow.findMany({ where: { id: { in: workflowIds } }, select: { id: true, name: true } }),
  ]);
  const nameOf = new Map(workflows.map((w) => [w.id, w.name]));
  return rows.map((r) => ({
    id: r.id,
    runId: r.runId,
    workflowId: r.workflowId,
    workflowName: (r.workflowId && nameOf.get(r.workflowId)) ?? "Deleted workflow",
    stepLabel: parseReviewRequest(r.id, r.payload).stepLabel ?? r.nodeId,
    createdAt: r.createdAt.toISOString(),
    whyNot: reasons.get(r.id) ?? "You may not decide it.",
  }));
}
