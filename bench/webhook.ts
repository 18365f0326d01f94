/**
 * Webhook latency (issue: triggers): a webhook in sync mode on a trivial published workflow
 * (start → output), from the POST to its answer carrying the run's output, p50 and p99, beside
 * an authenticated empty round trip (`GET /api/me`) to the same server, interleaved in the same
 * run. n8n answers a one-node webhook workflow in about 20 ms on this kind of machine. Prints
 * one JSON line.
 */
import type { WorkflowGraph } from "../lib/schemas/workflow";
import { pct, r2 } from "./support/stats";
import { withStudio } from "./support/studio-with-admin";

const N = 200;
const graph: WorkflowGraph = {
  nodes: [
    {
      id: "start",
      kind: "start",
      label: "Start",
      position: { x: 0, y: 0 },
      config: { fields: [{ name: "name", type: "string", required: true }] },
    },
    {
      id: "out",
      kind: "output",
      label: "Out",
      position: { x: 260, y: 0 },
      config: { value: "Hello {{nodes.start.output.name}}" },
    },
  ],
  edges: [{ id: "e1", source: "start", target: "out" }],
};

async function main() {
  await withStudio(async (studio, api) => {
    const { key } = (await (await api.post("/api/api-keys", { data: { name: "bench" } })).json()) as { key: string };
    const made = await api.post("/api/workflows", { data: { name: "Webhook bench", graph } });
    const { id, revision } = (await made.json()) as { id: string; revision: number };
    await api.post(`/api/workflows/${id}/versions`, { data: { note: "bench", revision } });
    const hook = (await (
      await api.post(`/api/workflows/${id}/triggers`, {
        data: { name: "bench", config: { mode: "sync", waitSeconds: 30, perMinute: 10_000 } },
      })
    ).json()) as { path: string; secret: string };
    const deliver = async () => {
      const res = await fetch(`${studio.url}${hook.path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${hook.secret}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "Ada" }),
      });
      const body = (await res.json()) as { output?: string };
      if (res.status !== 200 || body.output !== "Hello Ada") throw new Error(`${res.status} ${JSON.stringify(body)}`);
    };
    const roundTrip = async () =>
      (await fetch(`${studio.url}/api/me`, { headers: { authorization: `Bearer ${key}` } })).arrayBuffer();
    for (let i = 0; i < 20; i++) await Promise.all([deliver(), roundTrip()]); // warm up
    const hooks: number[] = [];
    const trips: number[] = [];
    for (let i = 0; i < N; i++) {
      let t = performance.now();
      await roundTrip();
      trips.push(performance.now() - t);
      t = performance.now();
      await deliver();
      hooks.push(performance.now() - t);
    }
    console.log(
      JSON.stringify({
        benchmark: "webhook-sync",
        database: studio.databaseKind,
        samples: N,
        emptyRoundTripMs: { p50: r2(pct(trips, 50)), p99: r2(pct(trips, 99)) },
        webhookSyncMs: { p50: r2(pct(hooks, 50)), p99: r2(pct(hooks, 99)) },
        webhookToRoundTrip: r2(pct(hooks, 50) / pct(trips, 50)),
        note: "n8n answers a one-node webhook workflow in about 20 ms on this kind of machine (issue); not measured here",
      }),
    );
  });
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
