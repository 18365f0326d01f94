/**
 * Faults (issue: runs and money survive faults), PostgreSQL with a studio serving the API only
 * and worker processes against the same database:
 * - takeover: from `kill -9` of the worker holding a run to another worker starting the cut-off
 *   step again, with the default lease; p50 and max of 5;
 * - fault storm: 60 runs of start → 3 agent steps (loopback model, 50 ms each) → output on two
 *   workers, once calm and once while every database connection is dropped five times; runs per
 *   second of each, and the ratio (the baseline is the calm run, measured in the same run).
 * Prints one JSON object; on the embedded database it prints a skip.
 */
import { Client } from "pg";
import { addLoopbackModels } from "../e2e/support/loopback-model";
import { startWorkerProcess, type WorkerProcess } from "../e2e/support/worker-process";
import { startFakeLlmServer } from "../test/support/fake-llm-server";
import { pct, r2 } from "./support/stats";
import { withStudio } from "./support/studio-with-admin";

const RUNS = 60;

async function main() {
  if (!process.env.DATABASE_URL) {
    console.log(JSON.stringify({ benchmark: "faults", skipped: "worker processes need PostgreSQL: set DATABASE_URL" }));
    return;
  }
  const llm = await startFakeLlmServer();
  llm.behave("quick", { kind: "answer", text: "done", delayMs: 50 });
  llm.behave("long", { kind: "answer", text: "one two three four five six seven eight nine ten", chunkDelayMs: 500 });
  try {
    await withStudio(
      async (studio, api) => {
        await addLoopbackModels(api, llm.baseUrl, { quick: "quick", long: "long" });
        const workflow = async (name: string, model: string, steps: string[]) => {
          const nodes = [
            { id: "start", kind: "start", label: "start", position: { x: 0, y: 0 }, config: { fields: [] } },
            ...steps.map((id, i) => ({
              id,
              kind: "agent",
              label: id,
              position: { x: i + 1, y: 0 },
              config: { model, instructions: `step ${id}`, useRunMemory: false },
            })),
            { id: "out", kind: "output", label: "out", position: { x: 9, y: 0 }, config: { value: "done" } },
          ];
          const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: n.id }));
          return (await (await api.post("/api/workflows", { data: { name, graph: { nodes, edges } } })).json())
            .id as string;
        };
        const pg = new Client({ connectionString: studio.env.DATABASE_URL });
        await pg.connect();
        const start = async (wf: string) =>
          (await (await api.post(`/api/workflows/${wf}/runs`, { data: { input: {}, mode: "draft" } })).json())
            .id as string;
        try {
          // Takeover after kill -9.
          const slow = await workflow("Takeover", "long", ["a"]);
          const takeovers: number[] = [];
          for (let i = 0; i < 5; i += 1) {
            const pair = [
              await startWorkerProcess(studio, { LOG_LEVEL: "info" }),
              await startWorkerProcess(studio, { LOG_LEVEL: "info" }),
            ];
            try {
              const runId = await start(slow);
              for (;;) {
                const { rows } = await pg.query(`SELECT 1 FROM "RunStep" WHERE "runId" = $1 AND "nodeId" = 'a'`, [
                  runId,
                ]);
                if (rows.length) break;
                await new Promise((r) => setTimeout(r, 20));
              }
              const holder = pair.find((w) => w.output().includes(runId)) ?? pair[0]!;
              const killed = Date.now();
              await holder.kill("SIGKILL");
              for (;;) {
                const { rows } = await pg.query(
                  `SELECT 1 FROM "RunStep" WHERE "runId" = $1 AND "nodeId" = 'a' AND attempt = 2`,
                  [runId],
                );
                if (rows.length) break;
                await new Promise((r) => setTimeout(r, 20));
              }
              takeovers.push(Date.now() - killed);
            } finally {
              await Promise.all(pair.map((w) => w.kill("SIGKILL")));
            }
          }

          // Throughput, calm and through a storm of dropped connections.
          const quick = await workflow("Storm", "quick", ["a", "b", "c"]);
          async function measure(storm: boolean) {
            const workers: WorkerProcess[] = [];
            for (let i = 0; i < 2; i++)
              workers.push(await startWorkerProcess(studio, { FLOWDECK_WORKER_CONCURRENCY: "10", LOG_LEVEL: "warn" }));
            try {
              const ids = await Promise.all(Array.from({ length: RUNS }, () => start(quick)));
              const storming = storm
                ? (async () => {
                    for (let i = 0; i < 5; i += 1) {
                      await new Promise((r) => setTimeout(r, 400));
                      await pg.query(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
                      );
                    }
                  })()
                : Promise.resolve();
              for (;;) {
                const { rows } = await pg.query(
                  `SELECT count(*) FILTER (WHERE status IN ('COMPLETED', 'FAILED'))::int AS ended, count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
                          extract(epoch FROM max("endedAt") - min("createdAt"))::float AS seconds FROM "Run" WHERE id = ANY($1)`,
                  [ids],
                );
                const { ended, failed, seconds } = rows[0] as { ended: number; failed: number; seconds: number };
                if (ended === RUNS) {
                  await storming;
                  return {
                    runs: RUNS,
                    failed,
                    seconds: r2(seconds),
                    runsPerSecond: r2(RUNS / seconds),
                    workersAlive: workers.filter((w) => !w.exited()).length,
                  };
                }
                await new Promise((r) => setTimeout(r, 50));
              }
            } finally {
              await Promise.all(workers.map((w) => w.kill("SIGTERM")));
            }
          }
          const calm = await measure(false);
          const stormy = await measure(true);
          console.log(
            JSON.stringify({
              benchmark: "faults",
              database: studio.databaseKind,
              takeoverAfterKillMs: { p50: pct(takeovers, 50), max: Math.max(...takeovers), samples: takeovers.length },
              calm,
              fiveConnectionDrops: stormy,
              ratioStormToCalm: r2(stormy.runsPerSecond / calm.runsPerSecond),
            }),
          );
        } finally {
          await pg.end();
        }
      },
      { FLOWDECK_IN_PROCESS_WORKER: "false" },
    );
  } finally {
    await llm.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
