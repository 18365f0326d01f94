import "server-only";
import { recordAudit } from "../audit/record";
import { db } from "../db/client";
import { parseReviewRequest } from "../schemas/review";
import { logger } from "../log/logger";
import { settleReview } from "./decide-review";
import type { DeadlineJob } from "./jobs";
import { reviewsChanged } from "./live";
import { announceReview } from "./notify";

/**
 * A review's deadline fell due (a scheduled job). Still pending and still due: escalate it to
 * its role (nobody has it any more, and the role's members are told), or decide it
 * automatically (approved or rejected, by "Flowdeck (deadline)"), which resumes the run.
 * Idempotent: a repeated or late job finds nothing to do.
 */
export async function expireReview(job: DeadlineJob): Promise<void> {
  const prisma = await db();
  const review = await prisma.review.findUnique({ where: { id: job.reviewId } });
  if (!review || review.status !== "PENDING" || !review.dueAt) return;
  const clock = await prisma.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
  const now = clock[0]?.now ?? new Date();
  // Sent for an older deadline (the review was escalated or re-timed since): not due yet.
  if (review.dueAt.getTime() > now.getTime() + 1000) return;
  const log = logger().child({ reviewId: review.id, runId: review.runId });
  const waited = Math.round((review.dueAt.getTime() - review.createdAt.getTime()) / 1000);
  if (review.onExpiry === "approve" || review.onExpiry === "reject") {
    const request = parseReviewRequest(review.id, review.payload);
    const outcome = review.onExpiry === "approve" ? "approved" : "rejected";
    const settled = await settleReview(
      review.id,
      {
        outcome,
        content: request.content,
        comment: `Nobody decided within the deadline (${formatSeconds(waited)}), so it was ${outcome} automatically.`,
        reviewer: "Flowdeck (deadline)",
      },
      null,
      review.workspaceId,
    );
    if (settled) {
      log.info({ outcome }, "review deadline passed: decided automatically");
      void announceReview("review.decided", review.id, { actorName: "Flowdeck (deadline)", outcome });
    }
    return;
  }
  const role = review.escalateToRole ?? "ADMIN";
  const escalated = await prisma.$transaction(async (tx) => {
    const res = await tx.review.updateMany({
      where: { id: review.id, status: "PENDING", escalatedAt: null },
      data: { reviewerRole: role, reviewerEmail: "", assigneeId: null, escalatedAt: now, dueAt: null },
    });
    if (res.count === 1) {
      await recordAudit(tx, {
        workspaceId: review.workspaceId,
        actorId: null,
        action: "review.escalate",
        targetType: "Review",
        targetId: review.id,
        before: { reviewerRole: review.reviewerRole, assigneeId: review.assigneeId },
        after: { reviewerRole: role },
      });
    }
    return res.count === 1;
  });
  if (!escalated) return;
  log.info({ role }, "review deadline passed: escalated");
  reviewsChanged(review.workspaceId);
  await announceReview("review.escalated", review.id);
}

export function formatSeconds(s: number): string {
  if (s % 86_400 === 0) return `${s / 86_400} d`;
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}
