import { z } from "zod";
import { identifierSchema, type NodeKindSpec } from "./spec";

/** What the PII check can look for; each is found by its shape and confirmed by its checksum or rules where it has one. */
export const piiKinds = ["email", "phone", "card", "iban", "us_ssn", "uk_nino", "ip"] as const;
export type PiiKind = (typeof piiKinds)[number];

export const piiLabels: Record<PiiKind, string> = {
  email: "Email addresses",
  phone: "Phone numbers",
  card: "Payment card numbers (Luhn-checked)",
  iban: "Bank account numbers (IBAN, checksum-checked)",
  us_ssn: "US Social Security numbers",
  uk_nino: "UK National Insurance numbers",
  ip: "IP addresses",
};

/** Backreferences and lookaround: what a linear-time (RE2) pattern cannot have. */
const NOT_RE2 = /\\[1-9]|\\k<|\(\?<?[=!]/;

/** Why a pattern cannot run on RE2 (linear time), or null. Also checks the evaluators' patterns. */
export function patternProblem(source: string): string | null {
  if (NOT_RE2.test(source)) return "Lookaround and backreferences are not supported (patterns run in linear time)";
  try {
    new RegExp(source);
    return null;
  } catch (error) {
    return `Not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, "")}`;
  }
}

function schemaProblem(text: string): string | null {
  if (!text.trim()) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? null
      : 'A JSON Schema is a JSON object, such as {"type": "object"}';
  } catch (error) {
    return `Not valid JSON: ${(error as Error).message}`;
  }
}

export const guardrailActions = ["branch", "redact", "review", "fail"] as const;

export const guardrailConfigSchema = z
  .object({
    value: z.string().trim().min(1, "Pick what to check").max(20_000).meta({
      title: "What to check",
      description: "Usually a reference such as {{nodes.draft.output.text}}; an object is checked as its JSON.",
      widget: "template",
    }),
    pii: z
      .array(z.enum(piiKinds))
      .max(piiKinds.length)
      .default(["email", "phone", "card", "iban"])
      .meta({ title: "Personal data to look for", widget: "checklist", optionLabels: piiLabels }),
    phoneCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, "Two capital letters, such as US, GB or DE")
      .default("US")
      .meta({
        title: "Phone numbers without a country code are read as",
        description: "A two-letter country code; numbers written with + are found whatever it is.",
      }),
    blockList: z
      .array(z.string().trim().min(1).max(100, "At most 100 characters a word or phrase"))
      .max(200, "At most 200 words and phrases")
      .default([])
      .meta({ title: "Blocked words and phrases", description: "Whole words, in any case." }),
    patterns: z
      .array(
        z.object({
          name: identifierSchema.meta({ title: "Name", description: "Shown in findings and as [name] when redacted." }),
          regex: z.string().min(1, "Write the pattern").max(300).meta({ title: "Regular expression" }),
        }),
      )
      .max(10)
      .default([])
      .meta({
        title: "Patterns",
        itemLabel: "pattern",
        description: "Regular expressions that must not match, such as ORD-\\d{6} for order numbers.",
      }),
    jsonSchema: z.string().max(20_000).default("").meta({
      title: "JSON Schema the value must match",
      description: "Empty: no check. The value must be JSON (or an object from a reference) and valid against it.",
      widget: "json",
    }),
    judgeModel: z.string().max(200).default("").meta({
      title: "Model that judges (optional)",
      description: "Through the gateway; it reads the text and the rule below and answers pass or fail with a reason.",
      widget: "model",
    }),
    judgeRubric: z.string().max(5_000).default("").meta({
      title: "Rule for the model",
      description: "What passes, for example: polite, no promises of refunds, no legal advice.",
      widget: "textarea",
    }),
    onFail: z
      .enum(guardrailActions)
      .default("branch")
      .meta({
        title: "When a check fails",
        optionLabels: {
          branch: "Take the fail branch",
          redact: "Redact and continue (personal data, blocked words, patterns)",
          review: "Ask a person (they may edit the text)",
          fail: "Fail the step",
        },
      }),
  })
  .superRefine((config, ctx) => {
    config.patterns.forEach((p, i) => {
      const problem = patternProblem(p.regex);
      if (problem) ctx.addIssue({ code: "custom", path: ["patterns", i, "regex"], message: problem });
    });
    const schema = schemaProblem(config.jsonSchema);
    if (schema) ctx.addIssue({ code: "custom", path: ["jsonSchema"], message: schema });
    if (config.judgeModel && !config.judgeRubric.trim())
      ctx.addIssue({ code: "custom", path: ["judgeRubric"], message: "Write the rule the model judges by" });
    const checks =
      config.pii.length + config.blockList.length + config.patterns.length + (config.jsonSchema.trim() ? 1 : 0);
    if (checks === 0 && !config.judgeModel)
      ctx.addIssue({ code: "custom", path: ["pii"], message: "Turn on at least one check" });
  });

export const guardrail = {
  kind: "guardrail",
  label: "Guardrail",
  description: "Checks text, then routes pass or fail",
  icon: "⚠",
  accent: "rose",
  configSchema: guardrailConfigSchema,
  defaultConfig: {
    value: "",
    pii: ["email", "phone", "card", "iban"],
    phoneCountry: "US",
    blockList: [],
    patterns: [],
    jsonSchema: "",
    judgeModel: "",
    judgeRubric: "",
    onFail: "branch",
  },
  hasInput: true,
  outputs: () => [
    { id: "pass", label: "pass" },
    { id: "fail", label: "fail" },
  ],
  outputFields: () => ["passed", "text", "findings", "reason"],
} satisfies NodeKindSpec<typeof guardrailConfigSchema>;
