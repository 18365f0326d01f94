import { z } from "zod";
import { roleSchema } from "./identity";

/** Gateway administration: providers, model aliases with deployments, limits and budgets. */
export const providerKindSchema = z.enum(["OPENAI", "ANTHROPIC", "OPENAI_COMPATIBLE"]);
export type ProviderKind = z.infer<typeof providerKindSchema>;

const baseUrl = z
  .string()
  .trim()
  .max(500)
  .refine(
    (v) => v === "" || /^https?:\/\/[^\s]+$/.test(v),
    "Enter a URL starting with http:// or https://, such as http://localhost:11434/v1",
  );

export const providerInputSchema = z
  .object({
    name: z.string().trim().min(1, "Name the provider, such as “OpenAI” or “Ollama on the GPU box”").max(80),
    kind: providerKindSchema,
    baseUrl: baseUrl.default(""),
    /** Empty on an update: keep the stored key. */
    apiKey: z.string().trim().max(500).default(""),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "OPENAI_COMPATIBLE" && !v.baseUrl)
      ctx.addIssue({
        code: "custom",
        path: ["baseUrl"],
        message: "An OpenAI-compatible server needs its base URL, such as http://localhost:11434/v1",
      });
  });
export type ProviderInput = z.infer<typeof providerInputSchema>;

export interface ProviderView {
  id: string;
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  /** "…abcd", never the key. */
  apiKeyHint: string | null;
  testedAt: string | null;
  testError: string | null;
  deployments: number;
}

const optionalLimit = z
  .number()
  .int()
  .min(1, "At least 1, or leave it empty for no limit")
  .max(100_000_000)
  .nullable()
  .default(null);

export const deploymentInputSchema = z.object({
  providerId: z.string().min(1, "Pick a provider"),
  modelId: z.string().trim().min(1, "Enter the provider's model name, such as gpt-4o-mini").max(200),
  weight: z.number().int().min(0, "0 (fallback only) or more").max(1000).default(1),
  rpmLimit: optionalLimit,
  tpmLimit: optionalLimit,
  timeoutSeconds: z.number().int().min(1).max(600).default(60),
});
export type DeploymentInput = z.infer<typeof deploymentInputSchema>;

export const aliasInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Name the model, such as “fast” or “smart”")
    .max(60)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, "Use lower-case letters, digits, dots, dashes and underscores"),
  description: z.string().max(500).default(""),
  inputPricePerMTok: z.number().min(0).max(10_000).default(0),
  outputPricePerMTok: z.number().min(0).max(10_000).default(0),
  contextWindow: z.number().int().min(256).max(10_000_000).default(128_000),
  /** The most tokens a call may answer with when the caller names no limit (reserved, sent, enforced). */
  maxOutputTokens: z.number().int().min(1, "At least 1 token").max(1_000_000).default(1000),
  supportsTools: z.boolean().default(true),
  supportsStructured: z.boolean().default(true),
  allowedRoles: z.array(roleSchema).max(3).default(["ADMIN", "BUILDER"]),
  allowedUserIds: z.array(z.string().min(1).max(64)).max(500).default([]),
  cacheTtlSeconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(0),
  deployments: z.array(deploymentInputSchema).min(1, "Add at least one deployment: where the calls go").max(20),
});
export type AliasInput = z.infer<typeof aliasInputSchema>;

export type AliasView = Omit<AliasInput, "deployments"> & {
  id: string;
  deployments: (DeploymentInput & { id: string; providerName: string; coolingDown: boolean })[];
};

export const limitsInputSchema = z.object({
  userRpm: optionalLimit,
  userTpm: optionalLimit,
  workspaceRpm: optionalLimit,
  workspaceTpm: optionalLimit,
  workspaceBudgetUsd: z.number().min(0).max(10_000_000).nullable().default(null),
  userBudgetUsd: z.number().min(0).max(10_000_000).nullable().default(null),
  budgetPeriod: z.enum(["DAY", "MONTH"]).default("MONTH"),
});
export type LimitsInput = z.infer<typeof limitsInputSchema>;

export type LimitsView = LimitsInput & {
  spent: { workspaceUsd: number; periodStart: string };
  /** The organization lets this team connect providers and define models of its own. */
  ownProviders: boolean;
  /** The viewer is an installation owner, who sets the team's own limits. */
  mayChangeTeamLimits: boolean;
};

/** A model the signed-in person may pick (editor pickers, GET /v1/models). */
export interface ModelChoice {
  name: string;
  description: string;
  builtIn: boolean;
  supportsTools: boolean;
  supportsStructured: boolean;
}
