import type { z } from "zod";
import { deadlineSeconds, type humanReviewConfigSchema } from "../../schemas/node-kinds/human-review";
import { resolveTemplate } from "../template/resolve-template";
import { awaitReview } from "./await-review";
import type { NodeExecutor } from "./executor";

type Config = z.output<typeof humanReviewConfigSchema>;

/**
 * First visit: files a review and waits (a value, not an exception). Later visits (on
 * resume): the decision, if there is one, becomes the output and picks the branch.
 */
export const humanReviewExecutor: NodeExecutor<Config> = {
  async execute({ runId, node, outputs, vars, previous, ports }) {
    const review = await awaitReview(previous, ports.reviews);
    if (review.status === "pending") return review.result;
    if (review.status === "decided") {
      const { decision } = review;
      const text = typeof decision.content === "string" ? decision.content : JSON.stringify(decision.content);
      return {
        status: "done",
        input: review.input,
        handle: decision.outcome,
        output: {
          text,
          content: node.config.format === "json" ? parseJson(decision.content) : decision.content,
          decision: decision.outcome,
          comment: decision.comment,
          reviewer: decision.reviewer,
        },
      };
    }
    const content = node.config.content ? resolveTemplate(node.config.content, outputs, { vars }) : null;
    const reviewId = await ports.reviews.request({
      runId,
      nodeId: node.id,
      stepLabel: node.label || node.id,
      instructions: node.config.instructions,
      content,
      reviewerRole: node.config.reviewerRole,
      reviewerEmail: node.config.reviewerEmail,
      editable: node.config.editable,
      contentFormat: node.config.format,
      outcomes: ["approved", "rejected", ...node.config.outcomes],
      allowSelfApproval: node.config.allowSelfApproval,
      deadlineSeconds: deadlineSeconds(node.config.deadline ?? ""),
      onExpiry: node.config.onExpiry,
      escalateToRole: node.config.escalateToRole,
    });
    return { status: "waiting", waitingOn: reviewId, input: { content } };
  },
};

/** JSON content as a value for later steps ({{nodes.review.output.content.field}}); text that is not JSON stays text. */
function parseJson(content: unknown): unknown {
  if (typeof content !== "string") return content;
  try {
    return JSON.parse(content);
  } catch {
    return content;
  }
}
