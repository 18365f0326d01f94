import { z } from "zod";
import { storedInt } from "./storable";

/**
 * How an evaluation judges a case's output. `exact`, `contains` and `numeric` compare it with
 * the case's expected output; the others need no expected output.
 */
export const evaluatorSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("exact") }).strict(),
  z.object({ kind: z.literal("contains") }).strict(),
  z.object({ kind: z.literal("regex"), pattern: z.string().min(1, "Write the pattern").max(1000) }).strict(),
  z.object({ kind: z.literal("json-schema"), schema: z.string().min(2, "Write the JSON Schema").max(20_000) }).strict(),
  /** A JSONata expression over `{ output, expected, input }` that must be true. */
  z.object({ kind: z.literal("jsonata"), expression: z.string().min(1, "Write the JSONata check").max(2000) }).strict(),
  z.object({ kind: z.literal("numeric"), tolerance: z.number().min(0).max(1e12) }).strict(),
  /** A model through the gateway scores the output 0–1 against the case's rubric (or this one). */
  z
    .object({
      kind: z.literal("judge"),
      model: z.string().min(1, "Pick the model that judges").max(200),
      rubric: z.string().max(4000).default(""),
      passScore: z.number().min(0).max(1).default(0.7),
    })
    .strict(),
]);
export type Evaluator = z.infer<typeof evaluatorSchema>;

export const EVALUATOR_LABELS: Record<Evaluator["kind"], string> = {
  exact: "Exactly the expected output",
  contains: "Contains the expected output",
  regex: "Matches a pattern",
  "json-schema": "Fits a JSON Schema",
  jsonata: "A JSONata check is true",
  numeric: "A number near the expected one",
  judge: "A model judges it by the rubric",
};

/** How an evaluation decides reviews (see `suiteSchema`). */
export const reviewSettingsSchema = z
  .object({
    policy: z.enum(["recorded", "approved", "rejected"]).default("recorded"),
    /** A decision (an outcome) set for a review step, by node id: it wins over the policy. */
    decisions: z.record(z.string().min(1).max(200), z.string().min(1).max(60)).default({}),
  })
  .strict();
export type ReviewSettings = z.infer<typeof reviewSettingsSchema>;

/** A workflow's suite: its evaluators, its publish gate, and how its evaluations decide reviews. */
export const suiteSchema = z
  .object({
    evaluators: z.array(evaluatorSchema).max(20).default([]),
    /** Publishing requires an evaluation of the draft at this pass rate (percent), and no case that passed on the current version failing. Null: no gate. */
    gate: z
      .object({ passRate: z.number().min(0).max(100) })
      .strict()
      .nullable()
      .default(null),
    /**
     * How an evaluation decides the reviews its cases' runs ask for (none is filed): as the
     * case's source run decided it (else approved), or approve or reject them all; a decision
     * set for a step wins.
     */
    reviews: reviewSettingsSchema.default({ policy: "recorded", decisions: {} }),
  })
  .strict();
/** A suite as sent to be saved: review settings left out are kept as they are. */
export const suiteInputSchema = suiteSchema.extend({ reviews: reviewSettingsSchema.optional() });
export type Suite = z.infer<typeof suiteSchema>;
export type SuiteInput = z.input<typeof suiteInputSchema>;
export type ReviewPolicy = ReviewSettings["policy"];
export const REVIEW_POLICY_LABELS: Record<ReviewPolicy, string> = {
  recorded: "As decided in the case's source run (else approve)",
  approved: "Approve every review",
  rejected: "Reject every review",
};
export const storedSuiteOf = (value: unknown): Suite => suiteSchema.catch(suiteSchema.parse({})).parse(value ?? {});

/** A test case as typed, imported or taken from a run. */
export const caseInputSchema = z
  .object({
    input: z.record(z.string(), z.unknown()),
    expected: z.unknown().optional(),
    rubric: z.string().max(4000).default(""),
  })
  .strict();
export type CaseInput = z.input<typeof caseInputSchema>;

export interface CaseView {
  id: string;
  input: Record<string, unknown>;
  expected: unknown;
  rubric: string;
  sourceRunId: string | null;
  createdAt: string;
}

export const startEvaluationSchema = z
  .object({
    /** "draft", or a published version's number. */
    on: z.union([z.literal("draft"), storedInt(1)]),
    concurrency: z.number().int().min(1).max(20).default(4),
  })
  .strict();

export interface Score {
  evaluator: Evaluator["kind"];
  pass: boolean;
  /** 0–1 where the evaluator scores (the judge); 1 or 0 otherwise. */
  score: number;
  reason: string;
}

export interface ResultView {
  caseId: string;
  status: "PENDING" | "RUNNING" | "DONE" | "ERROR";
  runId: string | null;
  passed: boolean | null;
  scores: Score[];
  output: unknown;
  error: string | null;
  latencyMs: number | null;
  costUsd: number;
}

export interface EvaluationView {
  id: string;
  workflowId: string;
  version: number | null;
  status: "RUNNING" | "COMPLETED" | "CANCELLED" | "FAILED";
  evaluators: Evaluator[];
  concurrency: number;
  total: number;
  done: number;
  passed: number;
  costUsd: number;
  createdAt: string;
  endedAt: string | null;
  /** Latency of the cases' runs, in ms (null until one finished). */
  p50Ms: number | null;
  p95Ms: number | null;
  results: ResultView[];
}

/** Whether the draft may be published under the workflow's evaluation gate, and why not. */
export interface GateView {
  /** The workflow has a gate. */
  required: boolean;
  passRate: number | null;
  ok: boolean;
  why: string | null;
  /** The last finished evaluation of the draft as it is now. */
  evaluation: { id: string; passed: number; done: number; rate: number } | null;
  /** Cases that passed on the current version's last evaluation and fail on the draft's. */
  regressions: number;
}
