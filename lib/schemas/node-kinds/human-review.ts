import ms from "ms";
import { z } from "zod";
import { identifierSchema, type NodeKindSpec } from "./spec";

export const humanReviewConfigSchema = z.object({
  instructions: z
    .string()
    .min(1, "Tell the reviewer what to check")
    .max(20_000)
    .meta({ title: "Instructions for the reviewer", widget: "markdown" }),
  content: z.string().max(20_000).default("").meta({
    title: "Content under review",
    description: "Usually a reference such as {{nodes.draft.output.text}}.",
    widget: "template",
  }),
  reviewerRole: z.enum(["REVIEWER", "BUILDER", "ADMIN"]).default("REVIEWER").meta({ title: "Who reviews (role)" }),
  reviewerEmail: z.string().max(200).default("").meta({ title: "Or a specific person (email)" }),
  editable: z.boolean().default(true).meta({ title: "Reviewer may edit the content" }),
  format: z.enum(["text", "json"]).default("text").meta({
    title: "Content format",
    description: "json: the content is a JSON object, shown as a tree; an edit must be valid JSON.",
  }),
  outcomes: z
    .array(identifierSchema)
    .max(10)
    .default([])
    .meta({ title: "Extra outcomes", description: "Each gets its own branch, beside approved and rejected." }),
  allowSelfApproval: z.boolean().default(false).meta({ title: "The person who started the run may approve it" }),
  deadline: z
    .string()
    .max(20)
    .default("")
    .refine(
      (v) => v.trim() === "" || deadlineSeconds(v) !== null,
      "Write a duration such as 30m, 4h or 2d (at least 1s, at most 365d), or leave it empty",
    )
    .meta({ title: "Deadline", description: "How long reviewers have, such as 30m, 4h or 2d. Empty: no deadline." }),
  onExpiry: z.enum(["escalate", "reject", "approve"]).default("escalate").meta({
    title: "When the deadline passes",
    description: "escalate: hand it to the role below; reject or approve: decide it automatically.",
  }),
  escalateToRole: z.enum(["ADMIN", "BUILDER", "REVIEWER"]).default("ADMIN").meta({ title: "Escalate to (role)" }),
});

/** "30m" → 1800; "" or nonsense → null. Between 1 second and 365 days. */
export function deadlineSeconds(value: string): number | null {
  const v = value.trim();
  if (!v) return null;
  const millis = ms(v as ms.StringValue);
  if (typeof millis !== "number" || !Number.isFinite(millis) || millis < 1000 || millis > 365 * 86_400_000) return null;
  return Math.round(millis / 1000);
}

/** How many active members a workspace has in each role. */
export type RoleCounts = Partial<Record<"ADMIN" | "BUILDER" | "REVIEWER", number>>;

/**
 * Whom a new Human Review step goes to, for reviewers the workspace actually has: its
 * reviewers when it has any; else its admins, and when there is only one admin (a person
 * alone in a fresh workspace) that admin may approve their own runs, since nobody else can.
 */
export function reviewerDefaults(team: RoleCounts): { reviewerRole: "REVIEWER" | "ADMIN"; allowSelfApproval: boolean } {
  if ((team.REVIEWER ?? 0) > 0) return { reviewerRole: "REVIEWER", allowSelfApproval: false };
  return { reviewerRole: "ADMIN", allowSelfApproval: (team.ADMIN ?? 0) <= 1 };
}

export const humanReview = {
  kind: "human-review",
  label: "Human Review",
  description: "Pauses for a person to approve",
  icon: "✓",
  accent: "amber",
  configSchema: humanReviewConfigSchema,
  defaultConfig: {
    instructions: "",
    content: "",
    reviewerRole: "REVIEWER",
    reviewerEmail: "",
    editable: true,
    format: "text",
    outcomes: [],
    allowSelfApproval: false,
    deadline: "",
    onExpiry: "escalate",
    escalateToRole: "ADMIN",
  },
  hasInput: true,
  outputs: (config) => [
    { id: "approved", label: "approved" },
    { id: "rejected", label: "rejected" },
    ...config.outcomes.map((o) => ({ id: o, label: o })),
  ],
  outputFields: () => ["text", "content", "decision", "comment", "reviewer"],
} satisfies NodeKindSpec<typeof humanReviewConfigSchema>;
