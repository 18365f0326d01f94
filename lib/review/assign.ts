import "server-only";
import { recordAudit } from "../audit/record";
import type { Viewer } from "../auth/session";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { AppError, notFound } from "../errors/app-error";
import type { AssignmentInput } from "../schemas/review";
import { reviewsChanged } from "./live";
import { announceReview } from "./notify";
import { mayDecide } from "./review-rules";
import { visibleReview } from "./reviews";
import { asShown, nameIn, shownFields } from "../workspaces/member-names";

/**
 * Claim a review (only you decide it now), release it (back to its role), or hand it to a
 * person or a role. Allowed to those who may decide it, and to admins. Each change is
 * conditional on the review being as the person saw it, so two claims race to one winner.
 */
export async function assignReview(
  viewer: Viewer,
  reviewId: string,
  input: AssignmentInput,
): Promise<{ assignee: string | null }> {
  const prisma = await db();
  // Not `visibleReview`: a claim that lost a race is told who won (409) rather than refused;
  // every change below needs `mayDecide` (or an admin), which implies seeing it.
  const review = await prisma.review.findFirst({ where: { id: reviewId, workspaceId: viewer.workspace.id } });
  if (!review) throw notFound("Review");
  if (review.status !== "PENDING") throw new AppError("conflict", "This review is already decided.");
  // Claimed a moment ago by someone else: say so (a race of two claims has one winner).
  if (
    input.action === "claim" &&
    review.assigneeId &&
    review.assigneeId !== viewer.user.id &&
    viewer.role !== "ADMIN"
  ) {
    const holder = await nameIn(viewer.workspace.id, review.assigneeId);
    throw new AppError(
      "conflict",
      `Someone else has this review (${holder ?? "another reviewer"}); ask them or an admin to hand it over.`,
    );
  }
  if (!mayDecide(viewer, review) && viewer.role !== "ADMIN")
    throw new AppError("forbidden", "Only those who may decide this review, or an admin, can claim or hand it over.");

  let data: Prisma.ReviewUpdateManyMutationInput;
  let assigneeName: string | null = null;
  if (input.action === "claim") {
    if (review.assigneeId === viewer.user.id) return { assignee: viewer.user.name };
    if (review.assigneeId && viewer.role !== "ADMIN")
      throw new AppError("conflict", "Someone else has this review; ask them or an admin to hand it over.");
    if (!mayDecide(viewer, { ...review, assigneeId: viewer.user.id }))
      throw new AppError("forbidden", "You started this run; this step needs someone else to decide it.");
    data = { assigneeId: viewer.user.id };
    assigneeName = viewer.user.name;
  } else if (input.action === "release") {
    if (!review.assigneeId) return { assignee: null };
    if (review.assigneeId !== viewer.user.id && viewer.role !== "ADMIN")
      throw new AppError("forbidden", "Only the person who has it, or an admin, can release it.");
    data = { assigneeId: null };
  } else if (input.action === "assign") {
    const member = await prisma.membership.findUnique({
      where: { userId_workspaceId: { userId: input.userId, workspaceId: viewer.workspace.id } },
      select: { status: true, role: true, ...shownFields },
    });
    const name = member && asShown(member, member.user).name;
    if (!member || member.status !== "ACTIVE")
      throw new AppError("bad_request", "body.userId: no active member of this workspace has that id.", {
        fields: [{ path: "body.userId", message: "Not an active member" }],
      });
    if (member.role === "BUILDER")
      throw new AppError(
        "bad_request",
        `body.userId: ${name} is a builder and cannot decide reviews; pick a reviewer or an admin.`,
        { fields: [{ path: "body.userId", message: "Builders cannot decide reviews" }] },
      );
    if (input.userId === review.requesterId && !review.allowSelfApproval)
      throw new AppError(
        "bad_request",
        `body.userId: ${name} started this run, and this step needs someone else to decide it.`,
        { fields: [{ path: "body.userId", message: "Started this run" }] },
      );
    data = { assigneeId: input.userId };
    assigneeName = name;
  } else {
    data = { assigneeId: null, reviewerRole: input.role, reviewerEmail: "" };
  }

  const changed = await prisma.$transaction(async (tx) => {
    const res = await tx.review.updateMany({
      where: { id: reviewId, status: "PENDING", assigneeId: review.assigneeId },
      data,
    });
    if (res.count === 1) {
      await recordAudit(tx, {
        workspaceId: viewer.workspace.id,
        actorId: viewer.user.id,
        action: `review.${input.action}`,
        targetType: "Review",
        targetId: reviewId,
        before: { assigneeId: review.assigneeId, reviewerRole: review.reviewerRole },
        after: { ...data } as Prisma.InputJsonValue,
      });
    }
    return res.count === 1;
  });
  if (!changed)
    throw new AppError("conflict", "This review changed hands or was decided a moment ago; reload to see who has it.");
  reviewsChanged(viewer.workspace.id);
  if (input.action === "assign")
    void announceReview("review.assigned", reviewId, { actorId: viewer.user.id, actorName: viewer.user.name });
  return { assignee: assigneeName };
}

/** A comment on a review, by anyone who may see it (questions, context, hand-over notes). */
export async function commentOnReview(viewer: Viewer, reviewId: string, body: string) {
  const prisma = await db();
  await visibleReview(viewer, reviewId);
  const row = await prisma.reviewComment.create({
    data: { reviewId, workspaceId: viewer.workspace.id, authorId: viewer.user.id, body },
  });
  return { id: row.id, author: viewer.user.name, mine: true, body: row.body, createdAt: row.createdAt.toISOString() };
}
