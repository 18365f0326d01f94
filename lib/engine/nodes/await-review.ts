import type { ReviewDecision, ReviewQueue, StepRecord } from "../ports";
import type { NodeResult } from "./executor";

/**
 * Where a step that files a review stands on this visit: it has filed none yet (a first
 * visit), its review is still pending (return `result`: the step keeps waiting as it was
 * saved), or a person decided it (`input` is the step's input as saved when it filed).
 */
export type ReviewState =
  | { status: "not-filed" }
  | { status: "pending"; result: Extract<NodeResult, { status: "waiting" }> }
  | { status: "decided"; decision: ReviewDecision; input: unknown };

/**
 * The resume half of every step that waits for a person (a Human review, a tool call or an
 * agent's tool call needing approval), written once: read the decision of the review the
 * step is waiting on. Only a decision moves the step on; no decision yet is still a pause.
 */
export async function awaitReview(previous: StepRecord | undefined, reviews: ReviewQueue): Promise<ReviewState> {
  if (previous?.status !== "waiting" || !previous.waitingOn) return { status: "not-filed" };
  const decision = await reviews.decision(previous.waitingOn);
  // A queue that decides at once keeps no review for later (a run resumed in another process):
  // ask again, and it is decided again.
  if (!decision && reviews.decidesAtOnce) return { status: "not-filed" };
  if (!decision)
    return { status: "pending", result: { status: "waiting", waitingOn: previous.waitingOn, input: previous.input } };
  return { status: "decided", decision, input: previous.input };
}
