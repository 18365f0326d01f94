import type {
  EnginePorts,
  ModelRequest,
  ReviewDecision,
  ReviewRequest,
  RunChange,
  RunEventInput,
  RunSettlement,
  RunStore,
  StepRecord,
} from "../ports";
import { settlementEvent } from "../run/settlement-event";

/**
 * In-memory implementations of every engine port, for tests and benchmarks. The model
 * answers `answer(request)` (default: echoes the instructions) after `delayMs`.
 */
export class MemoryRunStore implements RunStore {
  readonly stepLog: { runId: string; step: StepRecord }[] = [];
  readonly events: { runId: string; event: RunEventInput }[] = [];
  async steps(runId: string) {
    const latestByKey = new Map<string, StepRecord>();
    for (const { runId: r, step } of this.stepLog)
      if (r === runId) latestByKey.set(`${step.nodeId}#${step.attempt}`, step);
    return [...latestByKey.values()];
  }
  async save(runId: string, change: RunChange) {
    for (const step of change.steps ?? []) this.stepLog.push({ runId, step: structuredClone(step) });
    for (const event of change.events ?? []) this.events.push({ runId, event });
  }
  readonly settled = new Map<string, RunSettlement>();
  /** A run that ended is never settled again; a pause ("waiting") may be followed by an end. */
  async settle(runId: string, settlement: RunSettlement) {
    const previous = this.settled.get(runId);
    if (previous && previous.status !== "waiting") return false;
    this.settled.set(runId, settlement);
    this.events.push({ runId, event: settlementEvent(settlement) });
    return true;
  }
  eventTypes(runId: string) {
    return this.events
      .filter((e) => e.runId === runId)
      .map((e) => (e.event.nodeId ? `${e.event.type}:${e.event.nodeId}` : e.event.type));
  }
}

export interface MemoryPortsOptions {
  answer?: (request: ModelRequest) => string | Promise<string>;
  delayMs?: number;
  /** Tools whose calls wait for a person's approval. */
  approvalTools?: string[];
  tool?: (name: string, args: Record<string, unknown>) => unknown;
  subWorkflows?: EnginePorts["subWorkflows"];
  /** The code sandbox: the real one (lib/sandbox) is not the engine's to import. */
  code?: EnginePorts["code"];
  /** The HTTP door (none unless given: the real one is lib/egress, against loopback servers in tests). */
  http?: EnginePorts["http"];
  /** The workspace's variables and secrets (none unless given). */
  variables?: { vars?: Record<string, string>; secrets?: Record<string, string> };
}

export function memoryPorts(options: MemoryPortsOptions = {}) {
  const store = new MemoryRunStore();
  const modelCalls: ModelRequest[] = [];
  const reviews = new Map<string, { request: ReviewRequest; decision: ReviewDecision | null }>();
  let now = 1_000;
  const concurrency = { now: 0, max: 0 };
  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (ms <= 0) return resolve();
      const t = setTimeout(resolve, ms);
      signal.addEventListener("abort", () => (clearTimeout(t), reject(new Error("aborted"))), { once: true });
    });
  const ports: EnginePorts = {
    store,
    clock: { now: () => (now += 1) },
    models: {
      async generate(request) {
        modelCalls.push(request);
        concurrency.max = Math.max(concurrency.max, ++concurrency.now);
        await sleep(options.delayMs ?? 0, request.signal).finally(() => concurrency.now--);
        const text = await (options.answer?.(request) ?? `echo: ${request.instructions}`);
        request.onDelta?.(text);
        return { text, usage: { inputTokens: request.instructions.length, outputTokens: text.length, costUsd: 0 } };
      },
    },
    tools: {
      async needsApproval(tool) {
        return options.approvalTools?.includes(tool) ?? false;
      },
      async call({ tool, arguments: args }) {
        const result = options.tool ? options.tool(tool, args) : { tool, args };
        return { result, text: JSON.stringify(result) };
      },
    },
    reviews: {
      async request(request) {
        const id = `review_${reviews.size + 1}`;
        reviews.set(id, { request, decision: null });
        return id;
      },
      async decision(id) {
        return reviews.get(id)?.decision ?? null;
      },
    },
    code: options.code ?? {
      run: async () => {
        throw new Error("no code sandbox in this test");
      },
    },
    http: options.http ?? {
      send: async () => {
        throw new Error("no HTTP in this test");
      },
      needsApproval: async () => false,
    },
    variables: {
      async values(names) {
        const pick = (all: Record<string, string> = {}, wanted: string[]) =>
          Object.fromEntries(wanted.filter((n) => n in all).map((n) => [n, all[n]!]));
        return {
          vars: pick(options.variables?.vars, names.vars),
          secrets: pick(options.variables?.secrets, names.secrets),
        };
      },
    },
    subWorkflows: options.subWorkflows ?? {
      run: async () => {
        throw new Error("no sub-workflows in this test");
      },
      result: async () => {
        throw new Error("no sub-workflows in this test");
      },
    },
  };
  return {
    ports,
    store,
    modelCalls,
    reviews,
    /** The most model calls that were in flight at one moment. */
    maxConcurrentModelCalls: () => concurrency.max,
    decide(id: string, decision: ReviewDecision) {
      reviews.get(id)!.decision = decision;
    },
  };
}
