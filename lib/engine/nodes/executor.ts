import type { WorkflowGraph, WorkflowNode } from "../../schemas/workflow";
import type { Conversation, EnginePorts, StepRecord, Usage } from "../ports";
import type { Outputs } from "../template/resolve-template";

/** What a node's executor is given: its node (config parsed), the run so far, and the ports. */
export interface NodeContext<C = Record<string, unknown>> {
  runId: string;
  node: WorkflowNode & { config: C };
  runInput: Record<string, unknown>;
  /** The run's whole graph, Loop bodies included (a Loop runs its body from it). */
  graph: WorkflowGraph;
  /** Outputs of the steps that finished, by node id. */
  outputs: Outputs;
  /** The workspace's variables the graph names, for templates (`{ vars }`). */
  vars: Record<string, string>;
  /** Its secrets the graph names: only an executor that sends them out (HTTP Request) gives them to its templates. */
  secrets: Record<string, string>;
  /** Labels of all nodes, for memory and messages. */
  labels: Map<string, string>;
  /** The step as persisted before, when resuming a waiting step. */
  previous?: StepRecord;
  depth: number;
  /** A chat's run: the conversation before its message. */
  conversation?: Conversation | null;
  ports: EnginePorts;
  signal: AbortSignal;
  onDelta: (text: string) => void;
}

/** A node's result. Pausing is a value ("waiting"), never an exception. Failures are thrown. */
export type NodeResult =
  | { status: "done"; output: unknown; handle?: string | null; input?: unknown; usage?: Usage; logs?: string[] }
  | { status: "waiting"; waitingOn: string; input?: unknown };

export interface NodeExecutor<C = Record<string, unknown>> {
  /**
   * Nothing outside the run sees it run (no model, tool, review or child run), and it reads
   * only the run: the engine moves on without waiting for its record to be durable, and a
   * resumed run may execute it again, to the same effect.
   */
  pure?: boolean;
  execute(ctx: NodeContext<C>): Promise<NodeResult>;
}

/** A failure the user can act on: the message says what to fix. */
export class NodeError extends Error {
  override name = "NodeError";
  /** Console lines the step wrote before it failed (a Code step's), kept with its record. */
  readonly logs?: string[];
  /** What the step read or sent before it failed (an HTTP request, the text a Guardrail checked), kept with its record. */
  readonly input?: unknown;

  constructor(message: string, options?: { logs?: string[]; input?: unknown }) {
    super(message);
    if (options?.logs?.length) this.logs = options.logs;
    if (options?.input !== undefined) this.input = options.input;
  }
}
