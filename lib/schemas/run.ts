import { z } from "zod";

export const runStatusSchema = z.enum(["QUEUED", "RUNNING", "WAITING", "COMPLETED", "FAILED", "CANCELLED"]);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** `Run.input` as stored: the values of the Start fields. */
export const storedRunInputSchema = z.record(z.string(), z.unknown());
/** `Run.output` as stored: `{ value }`, so any JSON value (a string, null) is one JSON object. */
export const storedRunOutputSchema = z.object({ value: z.unknown() });

/** A Run row's input, parsed. */
export const runInputOf = (input: unknown): Record<string, unknown> => storedRunInputSchema.parse(input ?? {});
/** A Run row's output value, parsed (null while it has none). */
export const runOutputOf = (output: unknown): unknown =>
  output == null ? null : (storedRunOutputSchema.parse(output).value ?? null);

/** The statuses a run never leaves. */
export const ENDED_STATUSES = ["COMPLETED", "FAILED", "CANCELLED"] as const satisfies readonly RunStatus[];

/** Whether a run with this status has ended (it will not run again). */
export const isEnded = (status: string): boolean => (ENDED_STATUSES as readonly string[]).includes(status);

/**
 * A step's status as a person reads it: one still waiting (or running) when its run ended (a run
 * cancelled while a request waited for approval) did not finish and never will: "stopped".
 */
export function shownStepStatus<S extends string>(step: S, runEnded: boolean): S | "stopped" {
  return runEnded && (step === "waiting" || step === "running") ? "stopped" : step;
}

/** Whether a run event is the last of its run. */
export const isEndEvent = (type: string): boolean =>
  type === "run.completed" || type === "run.failed" || type === "run.cancelled";

/** Start a run: of the published version, or of the draft (a test run from the editor). */
export const startRunInputSchema = z.object({
  input: z.record(z.string(), z.unknown()).default({}),
  mode: z.enum(["published", "draft"]).default("published"),
  /** The run's latency budget, overriding the Start node's "Deadline". */
  deadlineSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .optional(),
});
export type StartRunInput = z.infer<typeof startRunInputSchema>;

/**
 * "Replay from here": the step to replay from, the graph to run (`run`: the one the run ran, its
 * version or its draft as it was; `draft`: the draft as it is now), and what to change: the
 * run's input (from the Start step only) or what the step reads, the outputs of the steps just
 * before it.
 */
export const replayRunInputSchema = z
  .object({
    nodeId: z.string().min(1).max(200),
    on: z.enum(["run", "draft"]).default("run"),
    input: z.record(z.string(), z.unknown()).optional(),
    reads: z.record(z.string().min(1).max(200), z.unknown()).optional(),
  })
  .strict();
export type ReplayRunInput = z.input<typeof replayRunInputSchema>;

export const stepViewSchema = z.object({
  nodeId: z.string(),
  kind: z.string(),
  attempt: z.number(),
  status: z.enum(["running", "done", "failed", "waiting", "skipped", "interrupted"]),
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  handle: z.string().nullable().optional(),
  error: z.string().optional(),
  waitingOn: z.string().optional(),
  logs: z.array(z.string()).optional(),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), costUsd: z.number() }).optional(),
  startedAt: z.number(),
  endedAt: z.number().optional(),
  /**
   * Not run in this run: copied from the run it retries or replays (`edited`: its output changed
   * by the person), `pinned`: the step's pinned output (a test run's, or an evaluation's answer),
   * or `recorded`: an evaluation's answer from the case's source run.
   */
  copied: z.enum(["as-is", "edited", "pinned", "recorded"]).optional(),
});
export type StepView = z.infer<typeof stepViewSchema>;

export interface RunView {
  id: string;
  workflowId: string;
  workflowName: string;
  /** Node labels of the graph that ran, by node id. */
  labels: Record<string, string>;
  /** The steps just before each step (what it reads), by node id, in the graph that ran. */
  inputs: Record<string, string[]>;
  parentRunId: string | null;
  /**
   * The run that started this one and the step that did: a Loop (with the item, 0-based) or a
   * Sub-workflow. Null for a run nothing else started.
   */
  parent: { runId: string; workflowName: string; stepLabel: string; loop: boolean; item: number | null } | null;
  /** A replay: the run it replays, and the step it replays from. */
  replayOf: { runId: string; fromNodeId: string } | null;
  version: number | null;
  /** What started it (an evaluation's case says so on its page). */
  trigger: RunTrigger;
  status: RunStatus;
  input: Record<string, unknown>;
  output: unknown;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  steps: StepView[];
  /**
   * The run's reviews; `whyNot` (set for the person reading, on pending ones) says why they may
   * not decide it and what to do, null when they may.
   */
  reviews: { id: string; nodeId: string; status: "PENDING" | "DECIDED"; whyNot?: string | null }[];
  /** Model and tool calls inside the steps, for the trace. */
  spans: SpanView[];
}

export interface SpanView {
  nodeId: string;
  kind: "model" | "tool";
  /** The model alias, or the tool's catalog name. */
  name: string;
  /** The deployment's model, or who approved the tool call. */
  detail: string | null;
  startedAt: number;
  durationMs: number;
  status: string;
  tokens: number;
  costUsd: number;
  error: string | null;
}

/**
 * What started a run (`Run.trigger`). A sub-workflow's child run carries its parent's (runs from
 * before that was so say "subworkflow").
 */
export const runTriggerSchema = z.enum([
  "editor",
  "api",
  "mcp",
  "subworkflow",
  "webhook",
  "schedule",
  "form",
  "chat",
  "evaluation",
]);
export type RunTrigger = z.infer<typeof runTriggerSchema>;
/** How the studio names what started a run. */
export const RUN_TRIGGER_LABELS: Record<RunTrigger, string> = {
  editor: "Editor",
  api: "API",
  mcp: "MCP",
  subworkflow: "Sub-workflow",
  webhook: "Webhook",
  schedule: "Schedule",
  form: "Form",
  chat: "Chat",
  evaluation: "Evaluation",
};
/** What started a run, where no person started it in the studio or over the API ("a run from a chat"). */
export const RUN_STARTED_FROM: Partial<Record<RunTrigger, string>> = {
  chat: "a chat",
  form: "a form",
  webhook: "a webhook",
  schedule: "a schedule",
  mcp: "an MCP client",
  subworkflow: "a parent workflow",
};
/**
 * A chat's conversation before the message a run answers (`Run.conversation`): a summary of
 * older turns (empty unless the chat keeps a rolling summary) and the recent messages, oldest first.
 */
export const conversationSchema = z.object({
  summary: z.string().default(""),
  messages: z.array(z.object({ role: z.enum(["user", "assistant"]), content: z.string() })).default([]),
});
export type Conversation = z.infer<typeof conversationSchema>;
/** A stored `Run.conversation`, read (null: not a chat's run, or unreadable). */
export const conversationOf = (value: unknown): Conversation | null =>
  value == null ? null : (conversationSchema.safeParse(value).data ?? null);

/**
 * A step a run answers without running it (`Run.standIns`): with an output given before the run
 * (the case's source run recorded it, or the step's pin), or refused (nothing answers it, and an
 * evaluation never reaches outside): reached, it fails with `reason`.
 */
export const standInSchema = z.discriminatedUnion("as", [
  z.object({ as: z.enum(["recorded", "pinned"]), output: z.unknown(), handle: z.string().nullable() }),
  z.object({ as: z.literal("refused"), reason: z.string() }),
]);
export type StandIn = z.infer<typeof standInSchema>;

/** A decision a run makes itself on a review it would file (an evaluation's), and who it says made it. */
export const selfDecisionSchema = z.object({
  outcome: z.string(),
  comment: z.string().nullable(),
  by: z.string(),
});
export type SelfDecision = z.infer<typeof selfDecisionSchema>;

/**
 * `Run.standIns`: the steps the run answers without running them, and, for a run that decides
 * its own reviews (an evaluation: no review is filed, nobody is notified), the decision for
 * each step, else `otherwise`.
 */
/** The reviews of a sealed run that was given no decisions: rejected, never filed for a person. */
export const SEALED_REJECTS = {
  byNode: {},
  otherwise: { outcome: "rejected", comment: null, by: "the evaluation (no decision was set)" },
} satisfies StandIns["reviews"];

export const standInsSchema = z.object({
  /**
   * The run never reaches outside (an evaluation's case): besides its stand-ins, every tool call,
   * HTTP request, sub-workflow run and agent tool is refused at the door, so a step with no
   * stand-in (a retry on a draft that changed since) fails instead of acting. A Loop's own body
   * runs, each item a child run sealed the same way.
   */
  sealed: z.boolean().default(false),
  steps: z.record(z.string(), standInSchema).default({}),
  reviews: z
    .object({ byNode: z.record(z.string(), selfDecisionSchema).default({}), otherwise: selfDecisionSchema })
    .nullable()
    .default(null),
});
export type StandIns = z.infer<typeof standInsSchema>;
/** A stored `Run.standIns`, read (null: a plain run). A value that does not parse is a bug: it throws. */
export const standInsOf = (value: unknown): StandIns | null => (value == null ? null : standInsSchema.parse(value));

/** A stored `Run.trigger`, read (a value this build does not know reads as "api"). */
export const runTriggerOf = (value: unknown): RunTrigger => runTriggerSchema.catch("api").parse(value);

export interface RunSummary {
  id: string;
  version: number | null;
  status: RunStatus;
  trigger: RunTrigger;
  createdAt: string;
  endedAt: string | null;
  error: string | null;
}

/** A reviewer's decision: an outcome of the node, the content as approved (maybe edited), a comment. */
export const decisionInputSchema = z.object({
  outcome: z.string().min(1).max(64),
  content: z.unknown().optional(),
  comment: z.string().max(5000).default(""),
});
export type DecisionInput = z.infer<typeof decisionInputSchema>;

/** One event of the run stream (SSE `data:`); `seq` is its id, absent for live token deltas. */
export interface RunStreamEvent {
  seq?: number;
  type: string;
  nodeId?: string | null;
  payload?: unknown;
}
