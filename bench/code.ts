/**
 * Code step benchmark (issue: building blocks). In one run, on one machine:
 *  - a Code step's overhead per call: the sandbox (a fresh QuickJS runtime on a pool thread)
 *    running `return input.x + 1`, beside the same value from a Transform mapping (JSONata in
 *    the engine's process) as the baseline;
 *  - chains of 20 Code steps and of 20 Transform steps through the engine (in-memory store):
 *    milliseconds per step of each;
 *  - 20 Code steps at once (parallel branches): wall time, beside 20 one after another.
 * Prints one JSON line.
 */
import { availableParallelism } from "node:os";
import { evaluateExpression } from "../lib/engine/expression/evaluate-expression";
import { runWorkflow } from "../lib/engine/run/run-workflow";
import { memoryPorts } from "../lib/engine/testing/memory-ports";
import { processSingleton } from "../lib/process/singleton";
import { codeSandbox, runCode } from "../lib/sandbox/run-code";
import type { WorkflowGraph } from "../lib/schemas/workflow";
import { pct, r2 } from "./support/stats";

const start = { id: "start", kind: "start", label: "start", position: { x: 0, y: 0 }, config: { fields: [] } } as const;
const codeConfig = { code: "return (input.x ?? 0) + 1", timeLimitSeconds: 2, memoryMb: 32 };
const mapping = { expression: "input.x + 1" };

function chain(kind: "code" | "transform", n: number): WorkflowGraph {
  const nodes: WorkflowGraph["nodes"] = [start];
  for (let i = 1; i <= n; i += 1)
    nodes.push({
      id: `s${i}`,
      kind,
      label: `s${i}`,
      position: { x: i, y: 0 },
      config: kind === "code" ? codeConfig : mapping,
    });
  return { nodes, edges: nodes.slice(1).map((node, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: node.id })) };
}

function fan(n: number): WorkflowGraph {
  const g: WorkflowGraph = { nodes: [start], edges: [] };
  for (let i = 0; i < n; i += 1) {
    g.nodes.push({ id: `b${i}`, kind: "code", label: `b${i}`, position: { x: 1, y: i }, config: codeConfig });
    g.edges.push({ id: `e${i}`, source: "start", target: `b${i}` });
  }
  return g;
}

async function timed(graph: WorkflowGraph): Promise<number> {
  const fake = memoryPorts({ code: codeSandbox });
  const started = performance.now();
  const outcome = await runWorkflow(
    { runId: `bench_${Math.random()}`, graph, input: { x: 1 }, depth: 0 },
    fake.ports,
    new AbortController().signal,
  );
  if (outcome.status !== "completed") throw new Error(`bench run ended ${outcome.status}: ${JSON.stringify(outcome)}`);
  return performance.now() - started;
}

async function samples(times: number, f: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 5; i += 1) await f(); // warm-up: threads started, WebAssembly compiled
  const xs: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const t = performance.now();
    await f();
    xs.push(performance.now() - t);
  }
  return xs;
}

async function main() {
  const data = { input: { x: 1 }, nodes: {} };
  const code = await samples(300, async () => {
    const r = await runCode({ code: codeConfig.code, data, timeoutMs: 2_000, memoryMb: 32 });
    if (!r.ok || r.value !== 2) throw new Error(`unexpected ${JSON.stringify(r)}`);
  });
  const jsonata = await samples(300, () => evaluateExpression(mapping.expression, data));
  const codeChain = await samples(10, () => timed(chain("code", 20)));
  const transformChain = await samples(10, () => timed(chain("transform", 20)));
  const parallel = await samples(10, () => timed(fan(20)));
  console.log(
    JSON.stringify({
      benchmark: "code",
      cores: availableParallelism(),
      perCallMs: {
        code: { p50: r2(pct(code, 50)), p99: r2(pct(code, 99)) },
        transformBaseline: { p50: r2(pct(jsonata, 50)), p99: r2(pct(jsonata, 99)) },
      },
      msPerStepInChainOf20: {
        code: r2(pct(codeChain, 50) / 20),
        transformBaseline: r2(pct(transformChain, 50) / 20),
      },
      twentyAtOnce: { wallMs: r2(pct(parallel, 50)), oneAfterAnotherMs: r2(pct(codeChain, 50)) },
    }),
  );
  await (processSingleton("sandbox.codePool", () => null) as { destroy(): Promise<void> } | null)?.destroy();
}

void main();
