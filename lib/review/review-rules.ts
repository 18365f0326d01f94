import type { Prisma } from "../db/generated/client";
import type { Viewer } from "../auth/session";

/**
 * Who may see and decide a review, each rule as a function (one review) and as the same rule in
 * SQL (the inbox and the history filter, sort and page in the database); both agree
 * (test/integration/review-permission.test.ts).
 */

/** The columns of a review that say who may see and decide it. */
export interface Decidable {
  reviewerRole: string;
  reviewerEmail: string;
  assigneeId: string | null;
  requesterId: string | null;
  allowSelfApproval: boolean;
  decidedById: string | null;
}

/**
 * Whom a review is for: admins always; when someone claimed it or was handed it, only them;
 * else the named person, or the step's role. One rule for seeing a review and deciding it.
 */
function isFor(viewer: Viewer, review: Decidable): boolean {
  if (viewer.role === "ADMIN") return true;
  if (review.assigneeId) return review.assigneeId === viewer.user.id;
  if (review.reviewerEmail) return review.reviewerEmail === viewer.user.email.toLowerCase();
  return review.reviewerRole === viewer.role;
}

/** `isFor` in SQL; null for admins (every review is for them). */
function isForSql(viewer: Viewer): Prisma.ReviewWhereInput | null {
  if (viewer.role === "ADMIN") return null;
  return {
    OR: [
      { assigneeId: viewer.user.id },
      { assigneeId: null, reviewerEmail: viewer.user.email.toLowerCase() },
      { assigneeId: null, reviewerEmail: "", reviewerRole: viewer.role },
    ],
  };
}

/**
 * Whether this person may decide this review: it is for them (`isFor`), and it is not a run
 * they started unless the step allows that.
 */
export function mayDecide(viewer: Viewer, review: Decidable): boolean {
  if (review.requesterId && review.requesterId === viewer.user.id && !review.allowSelfApproval) return false;
  return isFor(viewer, review);
}

/**
 * Whether this person may open this review (its content, the run's input, its comments) and
 * comment on it: it is for them (the rule of deciding, their own run included), or they
 * decided it.
 */
export function maySee(viewer: Viewer, review: Decidable): boolean {
  return isFor(viewer, review) || (review.decidedById !== null && review.decidedById === viewer.user.id);
}

/** Why this person may not decide it, and what to do about it (for the page), or null when they may. */
export function whyNot(viewer: Viewer, review: Decidable, assigneeName: string | null): string | null {
  if (mayDecide(viewer, review)) return null;
  const admin = viewer.role === "ADMIN";
  if (review.requesterId === viewer.user.id && !review.allowSelfApproval && isFor(viewer, review))
    return admin
      ? "You started this run, and this step needs someone else to decide it. Invite a reviewer on the Members page, or turn on “The person who started the run may approve it” in the step's settings."
      : "You started this run, and this step needs someone else to decide it. Ask an admin or another reviewer.";
  if (review.assigneeId)
    return `${assigneeName ?? "Someone else"} has it (claimed or assigned); they or an admin decide it.`;
  if (review.reviewerEmail)
    return `This review is assigned to ${review.reviewerEmail}. Ask an admin to hand it to you.`;
  return `This review is for the ${review.reviewerRole.toLowerCase()} role. Ask an admin to hand it to you.`;
}

/** `mayDecide` as a database filter, so the inbox pages and counts in SQL (indexes, not a scan in JS). */
export function decidableBy(viewer: Viewer): Prisma.ReviewWhereInput {
  const notOwnRun: Prisma.ReviewWhereInput = {
    OR: [{ requesterId: null }, { requesterId: { not: viewer.user.id } }, { allowSelfApproval: true }],
  };
  const audience = isForSql(viewer);
  return audience ? { AND: [notOwnRun, audience] } : notOwnRun;
}

/** `maySee` as a database filter (the history of decided reviews). */
export function visibleTo(viewer: Viewer): Prisma.ReviewWhereInput {
  const audience = isForSql(viewer);
  // Prisma reads `OR: [{}]` as false, not true: admins get no filter at all.
  return audience ? { OR: [audience, { decidedById: viewer.user.id }] } : {};
}
