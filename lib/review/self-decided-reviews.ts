import { randomUUID } from "node:crypto";
import type { ReviewDecision, ReviewQueue } from "../engine/ports";
import type { StandIns } from "../schemas/run";

/**
 * The `ReviewQueue` of a run that decides its own reviews (an evaluation's case): nothing is
 * filed and nobody is notified. A review is decided as it is asked for, by the decision set for
 * its step (else `otherwise`, also when the step's decision is not one this review offers), on
 * the content the step shows now; the engine then goes on in the same visit (`decidesAtOnce`).
 */
export function selfDecidedReviews(runId: string, reviews: NonNullable<StandIns["reviews"]>): ReviewQueue {
  const decided = new Map<string, ReviewDecision>();
  return {
    decidesAtOnce: true,
    request(review) {
      const asked = reviews.byNode[review.nodeId];
      const chosen = asked && review.outcomes.includes(asked.outcome) ? asked : reviews.otherwise;
      const id = `self:${runId}:${review.nodeId}:${randomUUID()}`;
      decided.set(id, {
        outcome: chosen.outcome,
        content: review.content,
        comment: chosen.comment ?? "",
        reviewer: chosen.by,
      });
      return Promise.resolve(id);
    },
    decision: (reviewId) => Promise.resolve(decided.get(reviewId) ?? null),
  };
}
