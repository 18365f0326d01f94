/**
 * Streaming benchmark (issue: execution engine): time from a step finishing (its endedAt, as
 * stored) to its step.completed event reaching an SSE client on the same machine, p50 and
 * p99, over the steps of a few runs of a 20-step chain on the built-in demo model. The
 * baseline in the same run is the time of one GET /api/health round trip. Prints one JSON object.
 */
import { withStudio } from "./support/studio-with-admin";
import type { WorkflowGraph } from "../lib/schemas/workflow";

const STEPS = 20;
const RUNS = 5;

function chain(): WorkflowGraph {
  const nodes: WorkflowGraph["nodes"] = [
    { id: "start", kind: "start", label: "start", position: { x: 0, y: 0 }, config: { fields: [] } },
  ];
  for (let i = 1; i <= STEPS; i += 1) {
    nodes.push({
      id: `s${i}`,
      kind: "agent",
      label: `s${i}`,
      position: { x: i * 260, y: 0 },
      config: { model: "demo", instructions: "ok", tools: [], maxSteps: 1, outputSchema: "", useRunMemory: false },
    });
  }
  nodes.push({
    id: "out",
    kind: "output",
    label: "out",
    position: { x: (STEPS + 1) * 260, y: 0 },
    config: { value: "done" },
  });
  return { nodes, edges: nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: n.id })) };
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const round = (x: number) => Math.round(x * 10) / 10;

async function main() {
  await withStudio(async (studio, api) => {
    const cookie = (await api.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const wf = await (await api.post("/api/workflows", { data: { name: "SSE bench", graph: chain() } })).json();
    const latencies: number[] = [];
    for (let r = 0; r < RUNS; r += 1) {
      const { id } = await (
        await api.post(`/api/workflows/${wf.id}/runs`, { data: { input: {}, mode: "draft" } })
      ).json();
      const received = new Map<string, number>();
      const res = await fetch(`${studio.url}/api/runs/${id}/events`, { headers: { cookie } });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (let done = false; !done;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true });
        const now = Date.now();
        for (let cut = buffer.indexOf("\n\n"); cut >= 0; cut = buffer.indexOf("\n\n")) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = frame.split("\n").find((l) => l.startsWith("data: "));
          if (!data) continue;
          const event = JSON.parse(data.slice(6)) as { type: string; nodeId?: string };
          if (event.type === "step.completed" && event.nodeId) received.set(event.nodeId, now);
          if (event.type.startsWith("run.") && event.type !== "run.started") done = true;
        }
      }
      await reader.cancel().catch(() => undefined);
      const run = await (await api.get(`/api/runs/${id}`)).json();
      for (const step of run.steps as { nodeId: string; endedAt?: number }[]) {
        const at = received.get(step.nodeId);
        if (at && step.endedAt) latencies.push(at - step.endedAt);
      }
    }
    const health: number[] = [];
    for (let i = 0; i < 50; i += 1) {
      const t = performance.now();
      await fetch(`${studio.url}/api/health`);
      health.push(performance.now() - t);
    }
    console.log(
      JSON.stringify({
        benchmark: "sse",
        database: studio.databaseKind,
        samples: latencies.length,
        stepEndToClientMs: {
          p50: round(pct(latencies, 50)),
          p99: round(pct(latencies, 99)),
          max: round(Math.max(...latencies)),
        },
        baselineHealthRoundTripMs: { p50: round(pct(health, 50)), p99: round(pct(health, 99)) },
        target: { p99Ms: 100 },
        note:
          studio.databaseKind === "postgres"
            ? "events travel by NOTIFY / LISTEN through PostgreSQL, as they do from a worker process"
            : "embedded database: one process, in-process fan-out",
      }),
    );
  });
}

void main();
