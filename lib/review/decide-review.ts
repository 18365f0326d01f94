import "server-only";
import { db } from "../db/client";
import { toJson } from "../db/json";
import { recordAudit } from "../audit/record";
import type { Viewer } from "../auth/session";
import { parseReviewDecision, parseReviewRequest, type ReviewDecision, type ReviewRequest } from "../schemas/review";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { AppError } from "../errors/app-error";
import type { DecisionInput } from "../schemas/run";
import { mayDecide, whyNot } from "./review-rules";
import { visibleReview } from "./reviews";
import { enqueueRun } from "../runs/queue";
import { reviewsChanged } from "./live";
import { announceReview } from "./notify";
import { reviewWaitSpan } from "../tracing/tracing";
import { nameIn } from "../workspaces/member-names";

/**
 * Records a decision exactly once (a second, concurrent or repeated decision is told who
 * decided), then resumes the run when nothing else holds it. An edit is checked before
 * anything is recorded: a refused edit leaves the review pending.
 */
export async function decideReview(viewer: Viewer, reviewId: string, input: DecisionInput): Promise<{ ok: true }> {
  const review = await visibleReview(viewer, reviewId);
  if (review.status === "DECIDED") throw await alreadyDecided(reviewId);
  const request = parseReviewRequest(review.id, review.payload);
  if (!mayDecide(viewer, review)) {
    const assignee = review.assigneeId ? await nameIn(viewer.workspace.id, review.assigneeId) : null;
    throw new AppError("forbidden", whyNot(viewer, review, assignee) ?? "You may not decide this review.");
  }
  if (!request.outcomes.includes(input.outcome)) {
    throw new AppError(
      "bad_request",
      `body.outcome: “${input.outcome}” is not an outcome of this review; choose one of ${request.outcomes.join(", ")}.`,
      {
        fields: [{ path: "body.outcome", message: "unknown outcome" }],
      },
    );
  }
  if (input.outcome === "rejected" && !input.comment.trim()) {
    throw new AppError(
      "bad_request",
      "body.comment: give a reason for rejecting (the run's next steps and the person who started it see it).",
      { fields: [{ path: "body.comment", message: "Give a reason for rejecting" }] },
    );
  }
  if (input.content !== undefined) {
    if (!request.editable) throw new AppError("bad_request", "This review does not allow editing the content.");
    checkEdit(request, input.content);
  }
  const decision: ReviewDecision = {
    outcome: input.outcome,
    content: input.content ?? request.content,
    comment: input.comment,
    reviewer: viewer.user.name,
  };
  const settled = await settleReview(reviewId, decision, viewer.user.id, viewer.workspace.id);
  if (!settled) throw await alreadyDecided(reviewId);
  void announceReview("review.decided", reviewId, {
    actorId: viewer.user.id,
    actorName: viewer.user.name,
    outcome: input.outcome,
  });
  return { ok: true };
}

const ajv = new Ajv({ allErrors: false });
const schemas = new Map<string, ValidateFunction>();

/** What is wrong with a value, in words: “New cap (USD)” must be more than 0.5. */
function described(error: ErrorObject): string {
  const name = error.instancePath
    ? `“${error.instancePath.slice(1).replaceAll("~1", "/").replaceAll("~0", "~")}”`
    : "It";
  const params = error.params as { limit?: number; missingProperty?: string; type?: string };
  switch (error.keyword) {
    case "exclusiveMinimum":
      return `${name} must be more than ${params.limit}`;
    case "minimum":
      return `${name} must be at least ${params.limit}`;
    case "required":
      return `“${params.missingProperty}” is needed`;
    case "type":
      return `${name} must be a ${params.type}`;
    default:
      return `${name} ${error.message ?? "is not right"}`;
  }
}

/** An edited content must have the request's shape: valid JSON where the content is JSON, meeting its schema if it has one. */
function checkEdit(request: ReviewRequest, content: unknown) {
  if (request.contentFormat !== "json") return;
  if (typeof content !== "string") return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
      throw new SyntaxError('it must be a JSON object, such as {"path": "notes.txt"}');
  } catch (error) {
    throw new AppError(
      "bad_request",
      `body.content: the edited content is not valid JSON: ${(error as Error).message}. Fix it, or approve it unedited; the review is still waiting.`,
      {
        fields: [{ path: "body.content", message: `Not valid JSON: ${(error as Error).message}` }],
      },
    );
  }
  if (!request.contentSchema) return;
  const key = JSON.stringify(request.contentSchema);
  let validate = schemas.get(key);
  if (!validate) schemas.set(key, (validate = ajv.compile(request.contentSchema)));
  if (validate(parsed)) return;
  const problem = described(validate.errors![0]!);
  throw new AppError(
    "bad_request",
    `body.content: ${problem}. Fix it, or approve it unedited; the review is still waiting.`,
    { fields: [{ path: "body.content", message: problem }] },
  );
}

async function alreadyDecided(reviewId: string): Promise<AppError> {
  const prisma = await db();
  const decided = await prisma.review.findUnique({ where: { id: reviewId } });
  const by = decided?.decidedById
    ? await prisma.user.findUnique({ where: { id: decided.decidedById }, select: { name: true } })
    : null;
  const decision = decided ? parseReviewDecision(decided.id, decided.decision) : null;
  const who =
    by?.name || decision?.reviewer || (decision?.outcome === "cancelled" ? "the run's cancellation" : "someone else");
  return new AppError("conflict", `Already decided by ${who}${decision?.outcome ? ` (${decision.outcome})` : ""}.`);
}

/**
 * Moves a pending review to DECIDED with this decision, exactly once (false when it was no
 * longer pending), audits it, tells open inboxes, and resumes the run when nothing else holds it.
 * Used by reviewers' decisions and by deadlines that decide automatically.
 */
export async function settleReview(
  reviewId: string,
  decision: ReviewDecision,
  deciderId: string | null,
  workspaceId: string,
): Promise<boolean> {
  const prisma = await db();
  const claimed = await prisma.$transaction(async (tx) => {
    const res = await tx.review.updateMany({
      where: { id: reviewId, status: "PENDING" },
      data: { status: "DECIDED", decision: toJson(decision), decidedById: deciderId, decidedAt: new Date() },
    });
    if (res.count === 1) {
      await recordAudit(tx, {
        workspaceId,
        actorId: deciderId,
        action: "review.decide",
        targetType: "Review",
        targetId: reviewId,
        after: { outcome: decision.outcome, ...(deciderId ? {} : { by: decision.reviewer }) },
      });
    }
    return res.count === 1;
  });
  if (!claimed) return false;
  reviewsChanged(workspaceId);
  const review = await prisma.review.findUnique({
    where: { id: reviewId },
    select: { runId: true, nodeId: true, createdAt: true, decidedAt: true },
  });
  if (review)
    reviewWaitSpan({
      runId: review.runId,
      nodeId: review.nodeId,
      reviewId,
      createdAt: review.createdAt,
      decidedAt: review.decidedAt ?? new Date(),
      outcome: decision.outcome,
      decidedBy: decision.reviewer,
    });
  if (review && (await prisma.review.count({ where: { runId: review.runId, status: "PENDING" } })) === 0)
    await enqueueRun(review.runId);
  return true;
}
