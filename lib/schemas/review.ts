import { z } from "zod";

/** The inbox's filters and order, from the page's URL or the API's query string. */
export const inboxQuerySchema = z.object({
  workflow: z.string().max(64).optional(),
  assignee: z.enum(["any", "me", "unassigned", "others"]).default("any"),
  /** Waiting at least this many seconds. */
  age: z.coerce
    .number()
    .int()
    .min(0)
    .max(365 * 86_400)
    .default(0),
  due: z.enum(["any", "overdue", "soon"]).default("any"),
  sort: z.enum(["oldest", "newest", "deadline"]).default("oldest"),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type InboxQuery = z.infer<typeof inboxQuerySchema>;

/** Claim it, let it go back to its role, or hand it to a person or a role. */
export const assignmentInputSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("claim") }),
  z.object({ action: z.literal("release") }),
  z.object({ action: z.literal("assign"), userId: z.string().min(1).max(64) }),
  z.object({ action: z.literal("assign-role"), role: z.enum(["ADMIN", "REVIEWER"]) }),
]);
export type AssignmentInput = z.infer<typeof assignmentInputSchema>;

/** Many reviews decided the same way at once (the inbox's bulk approve and reject). */
export const bulkDecisionSchema = z.object({
  ids: z.array(z.string().min(1).max(64)).min(1, "Select at least one review").max(200, "At most 200 at once"),
  outcome: z.enum(["approved", "rejected"]),
  comment: z.string().max(5000).default(""),
});
export type BulkDecisionInput = z.infer<typeof bulkDecisionSchema>;

export const commentInputSchema = z.object({
  body: z.string().trim().min(1, "Write something first").max(5000, "At most 5,000 characters"),
});

/** Where a workspace's review notifications go. The webhook's secret signs each POST (HMAC-SHA256). */
export const notificationSettingsInputSchema = z.object({
  /** Left out: keep the stored one; "": remove it. */
  webhookUrl: z
    .union([
      z.literal(""),
      z
        .url({
          protocol: /^https?$/,
          error: "Write an http:// or https:// URL, such as https://hooks.example.com/flowdeck",
        })
        .max(2000),
    ])
    .optional(),
  /** Left out: keep the stored one; "": remove it. */
  webhookSecret: z.string().max(200).optional(),
  email: z.boolean().optional(),
});
export type NotificationSettingsInput = z.infer<typeof notificationSettingsInputSchema>;

/**
 * What a review asks (the Review row's `payload`): written by the engine's request, parsed
 * whenever it is read from the database. Unknown keys are kept.
 */
export const reviewRequestSchema = z.looseObject({
  runId: z.string(),
  nodeId: z.string(),
  /** The step's label on the canvas, for the inbox. */
  stepLabel: z.string().optional(),
  instructions: z.string(),
  content: z.unknown(),
  reviewerRole: z.string(),
  reviewerEmail: z.string(),
  editable: z.boolean(),
  outcomes: z.array(z.string()),
  /** Whether the person who started the run may decide it (off: someone else must). */
  allowSelfApproval: z.boolean().optional(),
  /** "json": the content is JSON text, and an edit must be valid JSON to be accepted. */
  contentFormat: z.enum(["text", "json"]).optional(),
  /** A JSON Schema an edited JSON content must meet too (the reviewer is told what is wrong). */
  contentSchema: z.record(z.string(), z.unknown()).optional(),
  /** Seconds the reviewers have, and what happens then (escalate to a role, or decide). */
  deadlineSeconds: z.number().nullable().optional(),
  onExpiry: z.enum(["escalate", "reject", "approve"]).optional(),
  escalateToRole: z.string().optional(),
});
export type ReviewRequest = z.infer<typeof reviewRequestSchema>;

/** How a review was decided (the Review row's `decision`). */
export const reviewDecisionSchema = z.object({
  outcome: z.string(),
  /** The content as approved: edited by the reviewer, or as it was. */
  content: z.unknown(),
  comment: z.string(),
  /** Who decided, by name; "" when nobody did (the run was cancelled). */
  reviewer: z.string(),
});
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

/** The decision recorded on the pending reviews of a run that is cancelled. */
export const cancelledDecision: ReviewDecision = {
  outcome: "cancelled",
  content: null,
  comment: "The run was cancelled before this review was decided.",
  reviewer: "",
};

/** A Review row's payload, parsed (a row that does not parse is a bug: it throws, naming the review). */
export function parseReviewRequest(reviewId: string, payload: unknown): ReviewRequest {
  const parsed = reviewRequestSchema.safeParse(payload);
  if (!parsed.success)
    throw new Error(`Review ${reviewId} has an unreadable request: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

/** A Review row's decision, parsed; null while undecided. */
export function parseReviewDecision(reviewId: string, decision: unknown): ReviewDecision | null {
  if (decision === null || decision === undefined) return null;
  // Written by versions before the cancelled decision had its full shape (a migration fixes old
  // rows; a worker of the old version still running during an upgrade may write more).
  if (
    typeof decision === "object" &&
    (decision as { outcome?: unknown }).outcome === "cancelled" &&
    !("reviewer" in decision)
  )
    return cancelledDecision;
  const parsed = reviewDecisionSchema.safeParse(decision);
  if (!parsed.success)
    throw new Error(`Review ${reviewId} has an unreadable decision: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}
