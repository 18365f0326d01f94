import type { Conversation, StandIn } from "../schemas/run";
import type { ReviewDecision, ReviewRequest } from "../schemas/review";
import type { NodeKind, WorkflowGraph } from "../schemas/workflow";

/**
 * Everything the engine needs from the world, as interfaces. The engine imports no I/O; the
 * services in lib/runs implement these with the database, the gateway and the MCP pool, and
 * the tests with in-memory fakes.
 */
/**
 * Why a run's signal was aborted when it was not a person's cancel: its deadline passed (the
 * run fails, saying so), or its worker let go of it (shutting down, or its lease was taken
 * over): the run is left as it is for another worker to continue, nothing is recorded.
 */
export class RunStop extends Error {
  constructor(
    message: string,
    readonly kind: "deadline" | "interrupted",
  ) {
    super(message);
    this.name = "RunStop";
  }
}

/** "interrupted": an attempt cut off when its worker stopped (it ran again as a new attempt). */
export type StepStatus = "running" | "done" | "failed" | "waiting" | "skipped" | "interrupted";

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** One node's attempt in one run, as persisted. */
export interface StepRecord {
  nodeId: string;
  kind: NodeKind;
  attempt: number;
  status: StepStatus;
  input?: unknown;
  output?: unknown;
  /** Which outgoing handle the step chose (a Condition's branch, a review's outcome); null for the single output. */
  handle?: string | null;
  error?: string;
  /** For a waiting step: what it waits on (a review id). */
  waitingOn?: string;
  usage?: Usage;
  /** Console lines the step wrote (a Code step's), at most a few hundred. */
  logs?: string[];
  startedAt: number;
  endedAt?: number;
}

export type RunEventType =
  | "run.started"
  | "run.waiting"
  | "run.completed"
  | "run.failed"
  | "run.cancelled"
  | "step.started"
  | "step.delta"
  | "step.completed"
  | "step.failed"
  | "step.waiting"
  | "step.skipped";

export interface RunEventInput {
  type: RunEventType;
  nodeId?: string;
  payload?: unknown;
}

/** How a run ends, or pauses for a person: what `RunStore.settle` records. */
export type RunSettlement =
  | { status: "completed"; output: unknown }
  | { status: "waiting"; waitingOn: string[] }
  | { status: "failed"; error: string; nodeId?: string }
  | { status: "cancelled" };

/** What one write of a run records: step records (upserted by node and attempt) and events (appended in order). */
export interface RunChange {
  steps?: StepRecord[];
  events?: RunEventInput[];
}

/**
 * Where a run's steps and events live. A run's writes are applied in the order they were asked
 * for; each is durable (steps, events and the followers' wake-up in one commit) when its
 * promise resolves, and so is every write asked for before it. Once a write fails, every later
 * write of that run fails too (never a later one durable without an earlier). A store may
 * group writes asked for while one is on its way into one commit.
 */
export interface RunStore {
  steps(runId: string): Promise<StepRecord[]>;
  save(runId: string, change: RunChange): Promise<void>;
  /**
   * Records the run's end (or pause), after every write asked for before it: its status,
   * result and terminal event (`settlementEvent`) together, so a run is never seen ended without
   * its event or the other way round. False when this writer may no longer settle the run (it
   * ended already, or another worker holds it).
   */
  settle(runId: string, settlement: RunSettlement): Promise<boolean>;
}

export interface ModelRequest {
  model: string;
  instructions: string;
  /** Earlier steps' outputs, when the node asks for the run so far. */
  memory: { nodeId: string; label: string; output: unknown }[];
  /** A chat's conversation before this message, when the node asks for the run so far. */
  conversation?: Conversation | null;
  tools: string[];
  maxSteps: number;
  outputSchema?: Record<string, unknown>;
  signal: AbortSignal;
  onDelta?: (text: string) => void;
  context: { runId: string; nodeId: string };
  /** Continues a loop that paused for a person's approval of a tool call, with their decision. */
  resume?: { pending: PendingApproval; approved: boolean; reason: string; approver: string };
  /** Continues a loop that stopped at the run's cost cap, once an admin raised the cap to `costCapUsd`. */
  pastCap?: { pending: PendingCostCap; costCapUsd: number };
}

/** An agent loop stopped at its run's cost cap, to wait for an admin to raise it (kept with the step). */
export interface PendingCostCap {
  /** The conversation the refused call would have sent, to go on from. */
  messages: unknown[];
  limitUsd: number;
  spentUsd: number;
  /** The most the refused call could have cost. */
  amountUsd: number;
}

/** An agent loop paused at a tool call that needs a person's approval (kept with the step). */
export interface PendingApproval {
  /** The conversation so far, as the model gateway needs it to go on. */
  messages: unknown[];
  approvalId: string;
  toolName: string;
  input: unknown;
}

export interface ModelGateway {
  /**
   * `approval` set: the loop paused for a person to approve a tool call; resume with their
   * decision. `costCap` set: the loop stopped at the run's cost cap and its workflow waits for an
   * admin to raise it; go on with `pastCap`.
   */
  generate(
    request: ModelRequest,
  ): Promise<{ text: string; object?: unknown; usage: Usage; approval?: PendingApproval; costCap?: PendingCostCap }>;
}

export interface ToolInvoker {
  /** Whether each call of this tool waits for a person's approval first. */
  needsApproval(tool: string): Promise<boolean>;
  /** Calls a tool (permissions checked, audited); `approver` names who approved this call. */
  call(request: {
    tool: string;
    arguments: Record<string, unknown>;
    signal: AbortSignal;
    context: { runId: string; nodeId: string };
    approver?: string;
  }): Promise<{ result: unknown; text: string }>;
}

export type { ReviewDecision, ReviewRequest } from "../schemas/review";

/** Human reviews: create one (returns its id), and read its decision once there is one. */
export interface ReviewQueue {
  request(review: ReviewRequest): Promise<string>;
  /**
   * The run decides its own reviews (an evaluation): a review is decided as soon as it is asked
   * for, so the step goes on in the same visit instead of waiting.
   */
  decidesAtOnce?: boolean;
  decision(reviewId: string): Promise<ReviewDecision | null>;
}

/** How a child run stands: finished with an output, paused (e.g. for a review), or failed. */
export type ChildRunResult =
  | { status: "completed"; output: unknown; runId: string }
  | { status: "waiting"; runId: string }
  | { status: "failed"; error: string; runId: string };

/** Runs a published workflow as a child run (and later reports on it when it was paused). */
export interface SubWorkflowRunner {
  run(request: {
    workflowId: string;
    /** A Loop's body drawn inside it (`bodyOf`): run as this graph, in the parent's workflow, instead of a published one. */
    body?: WorkflowGraph;
    input: Record<string, unknown>;
    parentRunId: string;
    nodeId: string;
    depth: number;
    signal: AbortSignal;
    /**
     * A Loop step's item: at most one child run per (run, step, item), ever. Asked again (a
     * resumed loop), it answers the existing child's state, continuing it if nobody holds it,
     * instead of starting another.
     */
    item?: number;
  }): Promise<ChildRunResult>;
  result(runId: string): Promise<ChildRunResult>;
}

/** What running a Code step's JavaScript gave: its value (as JSON) or why it failed, and its console lines. */
export type CodeResult = { ok: true; value: unknown; logs: string[] } | { ok: false; error: string; logs: string[] };

/** Runs JavaScript in a sandbox with no host, network or files, within time and memory limits. */
export interface CodeSandbox {
  run(request: {
    code: string;
    /** What the code sees as `input` and `nodes`. */
    data: { input: unknown; nodes: unknown };
    timeoutMs: number;
    memoryMb: number;
    signal: AbortSignal;
  }): Promise<CodeResult>;
}

/** What an HTTP Request step asks the door for (lib/egress: the workspace's destinations, audited). */
export interface HttpCall {
  method: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  headers: Record<string, string>;
  /** Already serialized; not sent with GET or HEAD. */
  body?: string;
  /** Per try, the whole response included. */
  timeoutMs: number;
  /** A longer body fails the request, naming the limit. */
  maxResponseBytes: number;
  /** Extra tries on 429, 502, 503, 504 and dropped connections, with backoff (Retry-After honoured). */
  retries: number;
  signal: AbortSignal;
  context: { runId: string; nodeId: string };
  /** The run's secrets, so the door's own records (the audit trail) redact them too. */
  secrets: Record<string, string>;
  /** Who approved the request, when it waited for a person (recorded with it). */
  approver?: string;
}

/** What came back: any status (the step decides what a 4xx or 5xx means). */
export interface HttpResult {
  status: number;
  statusText: string;
  /** Lower-case names; a repeated header's values joined with ", ". */
  headers: Record<string, string>;
  /** The body as UTF-8 text. */
  body: string;
  /** The final URL, after redirects. */
  url: string;
  /** Tries of the request: 1, plus the retries used. */
  attempts: number;
}

/** The one door to HTTP destinations: refuses what the workspace does not allow (throws), returns any status. */
export interface HttpDoor {
  send(call: HttpCall): Promise<HttpResult>;
  /** Whether the workspace wants a person to approve this request first (its destination says so for requests that change things). */
  needsApproval(request: Pick<HttpCall, "method" | "url">): Promise<boolean>;
}

/** The run's workspace's variables and secrets, read when a run starts or resumes (so a rotated secret needs no edit). */
export interface VariableSource {
  /** The values of these names that exist (secrets unsealed). */
  values(names: { vars: string[]; secrets: string[] }): Promise<{
    vars: Record<string, string>;
    secrets: Record<string, string>;
  }>;
}

export interface Clock {
  now(): number;
}

export interface EnginePorts {
  store: RunStore;
  models: ModelGateway;
  tools: ToolInvoker;
  reviews: ReviewQueue;
  subWorkflows: SubWorkflowRunner;
  code: CodeSandbox;
  variables: VariableSource;
  http: HttpDoor;
  clock: Clock;
}

/** What a run is: a graph (a published version, or a draft for a test run) and its input. */
export interface RunSpec {
  runId: string;
  graph: WorkflowGraph;
  input: Record<string, unknown>;
  /** Nesting depth of sub-workflow runs; the top run is 0. */
  depth: number;
  /** A chat's run: the conversation before its message, for its agents. */
  conversation?: Conversation | null;
  /** Steps answered without running them, by node id (an evaluation's, a test run's pins after a branch). */
  standIns?: Record<string, StandIn>;
}

export type { Conversation };
