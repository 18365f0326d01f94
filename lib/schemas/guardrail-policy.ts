import { z } from "zod";
import { piiKinds } from "./node-kinds/guardrail";

/**
 * What a guardrail policy does to every model call it covers (lib/gateway/policy-guard.ts):
 * - `pii`: personal data of these kinds redacted in prompts before a provider sees them, and in
 *   answers before the caller does;
 * - `blockedTerms`: a prompt that names one is refused; in an answer, each is redacted;
 * - `injection`: a tool result that reads as instructions to the model is withheld from it;
 * - `maxToolCalls`: after this many tool calls since the person's last message, the model is
 *   called without tools, so it answers;
 * - `topics`: a prompt whose newest message is about one of these topics is refused, as an
 *   organization model (`topics.model`, the judge) says (lib/gateway/policy-topics.ts).
 */
export const blockedTopicSchema = z
  .object({
    name: z.string().trim().min(1, "Name the topic").max(60),
    description: z.string().trim().max(300).default(""),
  })
  .strict();
export type BlockedTopic = z.infer<typeof blockedTopicSchema>;
export const policyRulesSchema = z
  .object({
    pii: z
      .object({
        kinds: z.array(z.enum(piiKinds)).max(piiKinds.length).default([]),
        prompts: z.boolean().default(true),
        answers: z.boolean().default(true),
        /** Where a phone number without a country code is read as from. */
        phoneCountry: z
          .string()
          .regex(/^[A-Z]{2}$/, "Two capital letters, such as US or GB")
          .default("US"),
      })
      .strict()
      .default({ kinds: [], prompts: true, answers: true, phoneCountry: "US" }),
    blockedTerms: z.array(z.string().trim().min(1).max(100)).max(200).default([]),
    injection: z.boolean().default(false),
    maxToolCalls: z.number().int().min(0).max(100).nullable().default(null),
    topics: z
      .object({
        blocked: z.array(blockedTopicSchema).max(20).default([]),
        /** The organization's model that judges what a prompt is about. */
        model: z.string().trim().min(1).max(64).nullable().default(null),
      })
      .strict()
      .default({ blocked: [], model: null }),
  })
  .strict()
  .superRefine((rules, ctx) => {
    if (rules.topics.blocked.length && !rules.topics.model)
      ctx.addIssue({
        code: "custom",
        path: ["topics", "model"],
        message: "Pick the organization's model that judges what a prompt is about",
      });
  });
export type PolicyRules = z.infer<typeof policyRulesSchema>;

export const policyInputSchema = z
  .object({
    name: z.string().trim().min(1, "Give the policy a name").max(100),
    /** Null: every workspace (organization-wide). */
    workspaceId: z.string().min(1).max(64).nullable(),
    enabled: z.boolean().default(true),
    rules: policyRulesSchema,
  })
  .strict();
export type PolicyInput = z.input<typeof policyInputSchema>;

/** Try a policy's rules on a text, as a prompt and as an answer would be treated. */
export const tryPolicySchema = z
  .object({ rules: policyRulesSchema, text: z.string().max(20_000), name: z.string().trim().max(100).optional() })
  .strict();

export interface PolicyView {
  id: string;
  name: string;
  workspaceId: string | null;
  /** The workspace's name, null for an organization-wide policy. */
  workspaceName: string | null;
  enabled: boolean;
  rules: PolicyRules;
  updatedAt: string;
}

export interface ViolationView {
  id: string;
  at: string;
  workspaceName: string;
  policyName: string;
  kind: string;
  action: string;
  detail: string;
  alias: string | null;
  source: string;
  runId: string | null;
}

/** What trying a policy on a text found: the text as a provider would see it, and whether the call is refused. */
export interface TryView {
  prompt: string;
  answer: string;
  refused: string | null;
  findings: string[];
}

/** What each kind of guardrail action means, as the dashboard and the trail say it. */
export const GUARDRAIL_KIND_LABELS: Record<string, string> = {
  "pii-prompt": "Personal data redacted in prompts",
  "pii-answer": "Personal data redacted in answers",
  "blocked-prompt": "Prompts refused for a blocked term",
  "blocked-answer": "Blocked terms redacted in answers",
  injection: "Tool results withheld as instructions",
  "tool-calls": "Agent steps stopped at the most tool calls",
  "blocked-topic": "Prompts refused for a blocked topic",
  "topic-unchecked": "Prompts refused: their topic could not be checked",
};

/** The organization's budget over every workspace's model calls (null: none). */
export const organizationBudgetSchema = z
  .object({
    budgetUsd: z.number().min(0).max(1e9).nullable(),
    budgetPeriod: z.enum(["DAY", "MONTH"]).default("MONTH"),
  })
  .strict();

/** The organization's rate limits over every team's calls together (null: none). */
export const organizationLimitsSchema = z
  .object({
    requestsPerMinute: z.number().int().min(1).max(10_000_000).nullable(),
    tokensPerMinute: z.number().int().min(1).max(1_000_000_000).nullable(),
  })
  .strict();
export type OrganizationLimits = z.infer<typeof organizationLimitsSchema>;

/** The organization's spend this period, by workspace, against the budgets. */
export interface OrganizationSpend {
  period: "DAY" | "MONTH";
  /** The organization's rate limits, every team together. */
  limits: OrganizationLimits;
  periodStart: string;
  budgetUsd: number | null;
  spentUsd: number;
  /** Spend so far extended to the period's end at the same pace. */
  forecastUsd: number;
  byWorkspace: { id: string; name: string; spentUsd: number; calls: number; budgetUsd: number | null }[];
  /** The rest of the spend's breakdown, highest first (at most 10 each): by the organization's model, workflow, person and key. */
  byModel: SpendRow[];
  byWorkflow: SpendRow[];
  byPerson: SpendRow[];
  byKey: SpendRow[];
}

/** One line of a spend breakdown; `team` names the workspace where it is one's. */
export interface SpendRow {
  id: string;
  name: string;
  team: string | null;
  spentUsd: number;
  calls: number;
}
