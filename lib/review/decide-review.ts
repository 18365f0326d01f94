import "server-only";
import { db } from "../db/client";
import { toJson } from "../db/json";
import { recordAudit } from "../audit/record";
import type { Viewer } from "../auth/session";
import type { ReviewRequest } from "../engine/ports";
import { AppError, notFound } from "../errors/app-error";
import type { DecisionInput } from "../schemas/run";
import { mayDecide } from "./reviews";
import { enqueueRun } from "../runs/queue";
import { reviewsChanged } from "./live";

/**
 * Records a decision exactly once (a second, concurrent or repeated decision is told who
 * decided), then resumes the run when nothing else holds it.
 */
export async function decideReview(viewer: Viewer, reviewId: string, input: DecisionInput): Promise<{ ok: true }> {
  const prisma = await db();
  const review = await prisma.review.findFirst({ where: { id: reviewId, workspaceId: viewer.workspace.id } });
  if (!review) throw notFound("Review");
  const request = review.payload as unknown as ReviewRequest;
  const run = await prisma.run.findUnique({ where: { id: review.runId }, select: { startedById: true } });
  if (run?.startedById === viewer.user.id && !request.allowSelfApproval) {
    throw new AppError("forbidden", "You started this run, and this step needs someone else to decide it (it does not allow the person who started the run to approve).");
  }
  if (!mayDecide(viewer, request)) {
    throw new AppError("forbidden", request.reviewerEmail ? `This review is assigned to ${request.reviewerEmail}.` : `This review is for the ${request.reviewerRole.toLowerCase()} role.`);
  }
  if (!request.outcomes.includes(input.outcome)) {
    throw new AppError("bad_request", `body.outcome: “${input.outcome}” is not an outcome of this review; choose one of ${request.outcomes.join(", ")}.`, {
      fields: [{ path: "body.outcome", message: "unknown outcome" }],
    });
  }
  if (input.content !== undefined && !request.editable) throw new AppError("bad_request", "This review does not allow editing the content.");
  const decision = { outcome: input.outcome, content: input.content ?? request.content, comment: input.comment, reviewer: viewer.user.name };
  const claimed = await prisma.$transaction(async (tx) => {
    const res = await tx.review.updateMany({
      where: { id: reviewId, status: "PENDING" },
      data: { status: "DECIDED", decision: toJson(decision), decidedById: viewer.user.id, decidedAt: new Date() },
    });
    if (res.count === 1) {
      await recordAudit(tx, { workspaceId: viewer.workspace.id, actorId: viewer.user.id, action: "review.decide", targetType: "Review", targetId: reviewId, after: { outcome: input.outcome } });
    }
    return res.count === 1;
  });
  if (!claimed) {
    const decided = await prisma.review.findUnique({ where: { id: reviewId } });
    const by = decided?.decidedById ? await prisma.user.findUnique({ where: { id: decided.decidedById }, select: { name: true } }) : null;
    throw new AppError("conflict", `Already decided by ${by?.name ?? "someone else"}.`);
  }
  reviewsChanged(viewer.workspace.id);
  const pending = await prisma.review.count({ where: { runId: review.runId, status: "PENDING" } });
  if (pending === 0) await enqueueRun(review.runId);
  return { ok: true };
}
