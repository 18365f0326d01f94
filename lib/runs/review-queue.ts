import "server-only";
import type { PrismaClient } from "../db/generated/client";
import { toJson } from "../db/json";
import type { ReviewDecision, ReviewQueue } from "../engine/ports";
import { reviewsChanged } from "../review/live";

/** The engine's ReviewQueue on the Review table. */
export function prismaReviewQueue(prisma: PrismaClient, workspaceId: string): ReviewQueue {
  return {
    async request(review) {
      // One review per waiting step: a resumed run asks again and gets the same one.
      const existing = await prisma.review.findFirst({ where: { runId: review.runId, nodeId: review.nodeId, status: "PENDING" } });
      if (existing) return existing.id;
      const row = await prisma.review.create({ data: { workspaceId, runId: review.runId, nodeId: review.nodeId, payload: toJson(review) } });
      reviewsChanged(workspaceId);
      return row.id;
    },
    async decision(reviewId) {
      const row = await prisma.review.findUnique({ where: { id: reviewId } });
      return row?.status === "DECIDED" ? (row.decision as unknown as ReviewDecision) : null;
    },
  };
}
