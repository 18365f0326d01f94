import { z } from "zod";
import { identifierSchema, type NodeKindSpec } from "./spec";

export const humanReviewConfigSchema = z.object({
  instructions: z.string().min(1, "Tell the reviewer what to check").max(20_000).meta({ title: "Instructions for the reviewer", widget: "markdown" }),
  content: z.string().max(20_000).default("").meta({ title: "Content under review", description: "Usually a reference such as {{nodes.draft.output.text}}.", widget: "template" }),
  reviewerRole: z.enum(["REVIEWER", "BUILDER", "ADMIN"]).default("REVIEWER").meta({ title: "Who reviews (role)" }),
  reviewerEmail: z.string().max(200).default("").meta({ title: "Or a specific person (email)" }),
  editable: z.boolean().default(true).meta({ title: "Reviewer may edit the content" }),
  outcomes: z.array(identifierSchema).max(10).default([]).meta({ title: "Extra outcomes", description: "Each gets its own branch, beside approved and rejected." }),
  allowSelfApproval: z.boolean().default(false).meta({ title: "The person who started the run may approve it" }),
});

export const humanReview = {
  kind: "human-review",
  label: "Human Review",
  description: "Pauses for a person to approve",
  icon: "✓",
  accent: "amber",
  configSchema: humanReviewConfigSchema,
  defaultConfig: { instructions: "", content: "", reviewerRole: "REVIEWER", reviewerEmail: "", editable: true, outcomes: [], allowSelfApproval: false },
  hasInput: true,
  outputs: (config) => [
    { id: "approved", label: "approved" },
    { id: "rejected", label: "rejected" },
    ...config.outcomes.map((o) => ({ id: o, label: o })),
  ],
  outputFields: () => ["text", "decision", "comment", "reviewer"],
} satisfies NodeKindSpec<typeof humanReviewConfigSchema>;
