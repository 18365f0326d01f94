/**
 * Run throughput (issue: execution engine): a 5-step workflow (start, three agent steps on a
 * loopback OpenAI-compatible model answering after 50 ms, output) run 120 times at once, with
 * one worker process and then with two, each at concurrency 10. The studio serves the API only.
 * Needs PostgreSQL (worker processes share it): on the embedded database it prints a skip.
 * Prints one JSON object; the ratio two/one workers is the figure to read.
 */
import { startFakeLlmServer } from "../test/support/fake-llm-server";
import { addLoopbackModels } from "../e2e/support/loopback-model";
import { startWorkerProcess, type WorkerProcess } from "../e2e/support/worker-process";
import { Client } from "pg";
import { withStudio } from "./support/studio-with-admin";

const RUNS = 120;
const r2 = (x: number) => Math.round(x * 100) / 100;

async function main() {
  if (!process.env.DATABASE_URL) {
    console.log(
      JSON.stringify({ benchmark: "throughput", skipped: "worker processes need PostgreSQL: set DATABASE_URL" }),
    );
    return;
  }
  const llm = await startFakeLlmServer();
  llm.behave("slow", { kind: "answer", text: "done", delayMs: 50 });
  try {
    await withStudio(
      async (studio, api) => {
        await addLoopbackModels(api, llm.baseUrl, { loop: "slow" });
        const agent = (id: string, x: number) => ({
          id,
          kind: "agent",
          label: id,
          position: { x, y: 0 },
          config: { model: "loop", instructions: `step ${id}`, useRunMemory: false },
        });
        const nodes = [
          { id: "start", kind: "start", label: "start", position: { x: 0, y: 0 }, config: { fields: [] } },
          agent("a", 1),
          agent("b", 2),
          agent("c", 3),
          {
            id: "out",
            kind: "output",
            label: "out",
            position: { x: 4, y: 0 },
            config: { value: "{{nodes.c.output.text}}" },
          },
        ];
        const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: n.id }));
        const wf = await (
          await api.post("/api/workflows", { data: { name: "Throughput", graph: { nodes, edges } } })
        ).json();

        async function measure(workerCount: number) {
          const workers: WorkerProcess[] = [];
          for (let i = 0; i < workerCount; i++)
            workers.push(await startWorkerProcess(studio, { FLOWDECK_WORKER_CONCURRENCY: "10", LOG_LEVEL: "warn" }));
          try {
            // Watched in the database itself, so watching adds no load to the studio.
            const pg = new Client({ connectionString: studio.env.DATABASE_URL });
            await pg.connect();
            try {
              const ids: string[] = await Promise.all(
                Array.from(
                  { length: RUNS },
                  async () =>
                    (
                      await (
                        await api.post(`/api/workflows/${wf.id}/runs`, { data: { input: {}, mode: "draft" } })
                      ).json()
                    ).id,
                ),
              );
              for (;;) {
                const { rows } = await pg.query(
                  `SELECT count(*) FILTER (WHERE status IN ('COMPLETED', 'FAILED'))::int AS ended, count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
                          extract(epoch FROM max("endedAt") - min("createdAt"))::float AS seconds FROM "Run" WHERE id = ANY($1)`,
                  [ids],
                );
                const { ended, failed, seconds } = rows[0] as { ended: number; failed: number; seconds: number };
                if (ended === RUNS)
                  return {
                    workers: workerCount,
                    runs: RUNS,
                    failed,
                    seconds: r2(seconds),
                    runsPerSecond: r2(RUNS / seconds),
                  };
                await new Promise((r) => setTimeout(r, 50));
              }
            } finally {
              await pg.end();
            }
          } finally {
            await Promise.all(workers.map((w) => w.kill("SIGTERM")));
          }
        }
        const one = await measure(1);
        const two = await measure(2);
        console.log(
          JSON.stringify({
            benchmark: "throughput",
            database: studio.databaseKind,
            workflow: "start → 3 agent steps (loopback model, 50 ms each) → output",
            perWorkerConcurrency: 10,
            oneWorker: one,
            twoWorkers: two,
            ratioTwoToOne: r2(two.runsPerSecond / one.runsPerSecond),
            modelCalls: llm.calls("slow"),
          }),
        );
      },
      { FLOWDECK_IN_PROCESS_WORKER: "false" },
    );
  } finally {
    await llm.close();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
