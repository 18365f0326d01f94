import "server-only";
import type { PrismaClient } from "../db/generated/client";
import { toJson } from "../db/json";
import type { ReviewQueue } from "../engine/ports";
import { scheduleDeadline } from "./jobs";
import { reviewsChanged } from "./live";
import { announceReview } from "./notify";
import { parseReviewDecision } from "../schemas/review";
import { logger } from "../log/logger";

/**
 * The engine's ReviewQueue on the Review table. Filing a review copies who may decide it into
 * columns (the inbox filters on them), schedules its deadline, and tells those concerned.
 */
export function prismaReviewQueue(
  prisma: PrismaClient,
  run: { workspaceId: string; workflowId: string; startedById: string | null },
): ReviewQueue {
  return {
    async request(review) {
      // One review per waiting step: a resumed run asks again and gets the same one.
      const existing = await prisma.review.findFirst({
        where: { runId: review.runId, nodeId: review.nodeId, status: "PENDING" },
      });
      if (existing) return existing.id;
      const dueAt = review.deadlineSeconds ? new Date(Date.now() + review.deadlineSeconds * 1000) : null;
      const row = await prisma.review.create({
        data: {
          workspaceId: run.workspaceId,
          runId: review.runId,
          nodeId: review.nodeId,
          payload: toJson(review),
          reviewerRole: review.reviewerRole,
          reviewerEmail: review.reviewerEmail.trim().toLowerCase(),
          allowSelfApproval: !!review.allowSelfApproval,
          requesterId: run.startedById,
          workflowId: run.workflowId,
          dueAt,
          onExpiry: dueAt ? (review.onExpiry ?? "escalate") : null,
          escalateToRole: dueAt ? (review.escalateToRole ?? "ADMIN") : null,
        },
      });
      if (dueAt) {
        await scheduleDeadline(row.id, dueAt).catch((error) =>
          logger().error({ err: error, reviewId: row.id }, "could not schedule the review's deadline"),
        );
      }
      reviewsChanged(run.workspaceId);
      void announceReview("review.created", row.id);
      return row.id;
    },
    async decision(reviewId) {
      const row = await prisma.review.findUnique({ where: { id: reviewId } });
      return row?.status === "DECIDED" ? parseReviewDecision(row.id, row.decision) : null;
    },
  };
}
