/**
 * Loop benchmark (issue: building blocks). In one run, on one machine: a Loop of 1,000 items,
 * 10 at once, whose body (Start → Agent → Output) waits 50 ms on the model: wall time beside the
 * ideal of 100 rounds × 50 ms, and the overhead per item. The engine is the real one; the run
 * store, model and child runs are the in-memory ports (each item's child is a real engine run
 * of the body graph), so the figure is the engine's own cost, not the database's.
 * Prints one JSON line.
 */
import { runWorkflow } from "../lib/engine/run/run-workflow";
import type { ChildRunResult, SubWorkflowRunner } from "../lib/engine/ports";
import { memoryPorts } from "../lib/engine/testing/memory-ports";
import type { WorkflowGraph } from "../lib/schemas/workflow";
import { r2 } from "./support/stats";

const ITEMS = 1_000;
const CONCURRENCY = 10;
const MODEL_MS = 50;

const at = (x: number) => ({ x, y: 0 });
const body: WorkflowGraph = {
  nodes: [
    {
      id: "start",
      kind: "start",
      label: "start",
      position: at(0),
      config: { fields: [{ name: "item", type: "json", required: true }] },
    },
    {
      id: "work",
      kind: "agent",
      label: "work",
      position: at(1),
      config: {
        model: "demo",
        instructions: "Item {{nodes.start.output.item}}",
        tools: [],
        maxSteps: 1,
        outputSchema: "",
        useRunMemory: false,
      },
    },
    { id: "out", kind: "output", label: "out", position: at(2), config: { value: "{{nodes.work.output.text}}" } },
  ],
  edges: [
    { id: "e1", source: "start", target: "work" },
    { id: "e2", source: "work", target: "out" },
  ],
};
const parent = (items: number[]): WorkflowGraph => ({
  nodes: [
    {
      id: "start",
      kind: "start",
      label: "start",
      position: at(0),
      config: { fields: [{ name: "list", type: "json", required: true }] },
    },
    {
      id: "each",
      kind: "loop",
      label: "each",
      position: at(1),
      config: {
        items: "{{nodes.start.output.list}}",
        workflowId: "body",
        itemInput: "item",
        inputs: [],
        concurrency: CONCURRENCY,
        onItemFailure: "stop",
        maxItems: items.length,
      },
    },
    { id: "out", kind: "output", label: "out", position: at(2), config: { value: "{{nodes.each.output.count}}" } },
  ],
  edges: [
    { id: "e1", source: "start", target: "each" },
    { id: "e2", source: "each", target: "out" },
  ],
});

async function loopOf(n: number): Promise<number> {
  const children = memoryPorts({ delayMs: MODEL_MS, answer: () => "ok" });
  const byItem = new Map<number, ChildRunResult>();
  const runner: SubWorkflowRunner = {
    async run({ input, item, signal }) {
      const known = byItem.get(item!);
      if (known) return known;
      const runId = `child_${item}`;
      const outcome = await runWorkflow({ runId, graph: body, input, depth: 1 }, children.ports, signal);
      const state: ChildRunResult =
        outcome.status === "completed"
          ? { status: "completed", output: outcome.output, runId }
          : { status: "failed", error: JSON.stringify(outcome), runId };
      byItem.set(item!, state);
      return state;
    },
    async result(runId) {
      return byItem.get(Number(runId.slice(6)))!;
    },
  };
  const fake = memoryPorts({ subWorkflows: runner });
  const list = Array.from({ length: n }, (_, i) => i);
  const started = performance.now();
  const outcome = await runWorkflow(
    { runId: "loop", graph: parent(list), input: { list }, depth: 0 },
    fake.ports,
    new AbortController().signal,
  );
  const ms = performance.now() - started;
  if (outcome.status !== "completed" || outcome.output !== n)
    throw new Error(`bench loop ended ${JSON.stringify(outcome)}`);
  return ms;
}

async function main() {
  await loopOf(50); // warm-up
  const wallMs = await loopOf(ITEMS);
  const idealMs = (ITEMS / CONCURRENCY) * MODEL_MS;
  console.log(
    JSON.stringify({
      benchmark: "loop",
      items: ITEMS,
      concurrency: CONCURRENCY,
      modelMs: MODEL_MS,
      wallMs: Math.round(wallMs),
      idealMs,
      wallToIdeal: r2(wallMs / idealMs),
      overheadPerItemMs: r2((wallMs - idealMs) / ITEMS),
      store: "memory",
    }),
  );
}

void main();
