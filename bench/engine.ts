/**
 * Engine benchmark (issue: execution engine). In one run, on one machine:
 *  - overhead per step of chains of 10 / 100 / 1000 steps whose model answers at once, with
 *    the in-memory store and with the database store (Postgres when DATABASE_URL is set, else
 *    PGlite), beside the same chains in @langchain/langgraph (no checkpointer, and MemorySaver)
 *    as the baseline;
 *  - fan-out of 50 parallel branches each waiting 200 ms on the model: wall time.
 *  - the bare commit floor (one-row INSERTs on the same database) as the durable step's baseline.
 * Prints one JSON object. SSE delivery is bench/sse.ts; HTTP runs and throughput bench/run-latency.ts.
 */
import { Annotation, END, MemorySaver, START, StateGraph } from "@langchain/langgraph";
import { openDatabase } from "../lib/db/client";
import type { RunStore } from "../lib/engine/ports";
import { runWorkflow } from "../lib/engine/run/run-workflow";
import { memoryPorts } from "../lib/engine/testing/memory-ports";
import { SqlRunStore } from "../lib/runs/sql-run-store";
import type { WorkflowGraph } from "../lib/schemas/workflow";
import { scratchDatabase } from "../test/support/scratch-database";

const agentConfig = { model: "demo", instructions: "x", tools: [], maxSteps: 1, outputSchema: "", useRunMemory: false };

function chain(n: number): WorkflowGraph {
  const nodes: WorkflowGraph["nodes"] = [
    { id: "start", kind: "start", label: "start", position: { x: 0, y: 0 }, config: { fields: [] } },
  ];
  for (let i = 1; i <= n; i += 1)
    nodes.push({ id: `s${i}`, kind: "agent", label: `s${i}`, position: { x: i, y: 0 }, config: agentConfig });
  nodes.push({ id: "out", kind: "output", label: "out", position: { x: n + 1, y: 0 }, config: { value: "done" } });
  return { nodes, edges: nodes.slice(1).map((node, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: node.id })) };
}

function fanOut(n: number): WorkflowGraph {
  const g: WorkflowGraph = {
    nodes: [{ id: "start", kind: "start", label: "start", position: { x: 0, y: 0 }, config: { fields: [] } }],
    edges: [],
  };
  g.nodes.push({ id: "out", kind: "output", label: "out", position: { x: 2, y: 0 }, config: { value: "done" } });
  for (let i = 0; i < n; i += 1) {
    g.nodes.push({ id: `b${i}`, kind: "agent", label: `b${i}`, position: { x: 1, y: i }, config: agentConfig });
    g.edges.push({ id: `in${i}`, source: "start", target: `b${i}` }, { id: `out${i}`, source: `b${i}`, target: "out" });
  }
  return g;
}

let runNo = 0;
async function ours(
  graph: WorkflowGraph,
  store?: () => Promise<{ store: RunStore; runId: string }>,
  delayMs = 0,
): Promise<number> {
  const fake = memoryPorts({ delayMs, answer: () => "ok" });
  const target = store ? await store() : { store: fake.store, runId: `bench_${++runNo}` };
  const started = performance.now();
  const outcome = await runWorkflow(
    { runId: target.runId, graph, input: {}, depth: 0 },
    { ...fake.ports, store: target.store },
    new AbortController().signal,
  );
  const ms = performance.now() - started;
  if (outcome.status !== "completed") throw new Error(`bench run ended ${outcome.status}`);
  return ms;
}

async function langgraph(n: number, checkpointer: boolean): Promise<number> {
  const State = Annotation.Root({ count: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }) });
  let builder = new StateGraph(State) as unknown as StateGraph<typeof State.spec, unknown, unknown, string>;
  for (let i = 1; i <= n; i += 1) builder = builder.addNode(`s${i}`, async () => ({ count: 1 })) as typeof builder;
  builder.addEdge(START, "s1");
  for (let i = 1; i < n; i += 1) builder.addEdge(`s${i}`, `s${i + 1}`);
  builder.addEdge(`s${n}`, END);
  const app = builder.compile(checkpointer ? { checkpointer: new MemorySaver() } : {});
  const started = performance.now();
  await app.invoke({ count: 0 }, { recursionLimit: n + 10, configurable: { thread_id: `t${++runNo}` } });
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function repeat(times: number, f: () => Promise<number>) {
  await f(); // warm-up
  const xs: number[] = [];
  for (let i = 0; i < times; i += 1) xs.push(await f());
  return median(xs);
}
const perStep = (ms: number, n: number) => +(ms / n).toFixed(4);

async function main() {
  const scratch = await scratchDatabase("bench");
  const database = await openDatabase({ url: scratch.url, dataDir: scratch.dataDir ?? "" });
  const dbStore = async () => {
    const run = await database.prisma.run.create({
      data: { workspaceId: "bench", workflowId: "bench", graph: {}, input: {} },
    });
    return { store: new SqlRunStore(database.sql) as RunStore, runId: run.id };
  };
  try {
    const chains: Record<string, unknown> = {};
    for (const n of [10, 100, 1000]) {
      const times = n === 1000 ? 3 : 5;
      const memory = await repeat(times, () => ours(chain(n)));
      const db = await repeat(n === 1000 ? 1 : 3, () => ours(chain(n), dbStore));
      const lg = await repeat(times, () => langgraph(n, false));
      const lgSaver = await repeat(times, () => langgraph(n, true));
      chains[n] = {
        msPerStep: {
          flowdeckMemory: perStep(memory, n),
          flowdeckDatabase: perStep(db, n),
          langgraph: perStep(lg, n),
          langgraphMemorySaver: perStep(lgSaver, n),
        },
        ratioToLanggraph: { memory: +(memory / lg).toFixed(2), memoryVsMemorySaver: +(memory / lgSaver).toFixed(2) },
      };
    }
    const fanMs = await repeat(3, () => ours(fanOut(50), undefined, 200));
    // The floor: one-row INSERTs, each its own commit, on the same database in the same run.
    await database.sql.query("CREATE TEMP TABLE IF NOT EXISTS bench_floor (id serial PRIMARY KEY, v text)");
    const floor: number[] = [];
    for (let i = 0; i < 300; i += 1) {
      const t = performance.now();
      await database.sql.query("INSERT INTO bench_floor (v) VALUES ($1)", [`row ${i}`]);
      floor.push(performance.now() - t);
    }
    const bareCommitMs = +median(floor).toFixed(4);
    const at100 = (chains[100] as { msPerStep: { flowdeckDatabase: number } }).msPerStep.flowdeckDatabase;
    console.log(
      JSON.stringify({
        benchmark: "engine",
        database: database.kind,
        chains,
        fanOut50x200ms: {
          wallMs: Math.round(fanMs),
          sequentialWouldBeMs: 50 * 200,
          overheadMs: Math.round(fanMs - 200),
        },
        // Every step here calls the model (a side effect): recorded before it acts, one commit per step.
        bareCommitMs,
        durableStepToCommitFloor: +(at100 / bareCommitMs).toFixed(2),
        targets: { msPerStepDatabase: 1, memoryRatioToLanggraphAtMost: 0.1, flatFrom10To1000Steps: true },
      }),
    );
  } finally {
    await database.close();
    await scratch.drop();
  }
}

void main();
