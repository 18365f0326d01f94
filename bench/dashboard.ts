/**
 * Dashboard (issue: observability): every dashboard query over 100,000 runs and 1,000,000
 * steps (plus 300,000 model-call ledger rows), server time from the route's Server-Timing:
 * the workspace over 7 and 30 days, one workflow, one version, two versions compared, and the
 * canvas overlay's per-step figures. The same requests over 1,000 runs are measured first in
 * the same run, as the baseline for the ratios. Needs PostgreSQL (the rows are written into the
 * studio's database directly); on the embedded database it prints a skip.
 */
import { Client } from "pg";
import { withStudio } from "./support/studio-with-admin";
import { pct, r2, serverMs } from "./support/stats";

const ROUNDS = 15;

async function main() {
  if (!process.env.DATABASE_URL) {
    console.log(
      JSON.stringify({
        benchmark: "dashboard",
        skipped: "the bench writes 100,000 runs into the studio's database directly: set DATABASE_URL",
      }),
    );
    return;
  }
  await withStudio(async (studio, api) => {
    const n = (id: string, kind: string, config: Record<string, unknown>) => ({
      id,
      kind,
      label: id,
      position: { x: 0, y: 0 },
      config,
    });
    const nodes = [
      n("start", "start", { fields: [] }),
      ...Array.from({ length: 8 }, (_, i) => n(`s${i}`, "agent", { model: "demo", instructions: "x" })),
      n("out", "output", { value: "x" }),
    ];
    const edges = nodes.slice(1).map((node, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: node.id }));
    const workflows: string[] = [];
    for (let i = 0; i < 10; i++)
      workflows.push(
        (await (await api.post("/api/workflows", { data: { name: `Bench ${i}`, graph: { nodes, edges } } })).json()).id,
      );
    const pg = new Client({ connectionString: studio.env.DATABASE_URL });
    await pg.connect();
    try {
      const ws = (await pg.query(`SELECT "workspaceId" FROM "Workflow" WHERE id = $1`, [workflows[0]])).rows[0]
        .workspaceId as string;
      /** Runs spread over the last 30 days across 10 workflows and 3 versions: 85% completed, 10% failed, 5% waiting; 10 steps each; 3 model calls each in the ledger. */
      async function addRuns(from: number, count: number) {
        await pg.query(
          `INSERT INTO "Run" (id, "workspaceId", "workflowId", version, graph, input, status, error, "createdAt", "startedAt", "endedAt", "durationMs", "costUsd", "inputTokens", "outputTokens")
           SELECT 'bench-run-' || g, $1, ($2::text[])[1 + g % 10], 1 + g % 3, '{}'::jsonb, '{}'::jsonb,
                  (CASE WHEN g % 20 = 0 THEN 'WAITING' WHEN g % 10 = 1 THEN 'FAILED' ELSE 'COMPLETED' END)::"RunStatus",
                  CASE WHEN g % 10 = 1 THEN 'The model “smart” answered 429 (' || (g % 4) || ')' END,
                  now() - (g % 43200) * interval '1 minute', now() - (g % 43200) * interval '1 minute',
                  CASE WHEN g % 20 = 0 THEN NULL ELSE now() - (g % 43200) * interval '1 minute' + (500 + g % 4000) * interval '1 millisecond' END,
                  CASE WHEN g % 20 = 0 THEN NULL ELSE 500 + g % 4000 END,
                  8 * (0.0004 + (g % 7) * 0.0001), 8 * (300 + g % 200), 8 * (100 + g % 50)
           FROM generate_series($3::int, $3::int + $4::int - 1) g`,
          [ws, workflows, from, count],
        );
        await pg.query(
          `INSERT INTO "RunStep" (id, "runId", "nodeId", kind, attempt, status, "inputTokens", "outputTokens", "costUsd", "startedAt", "endedAt")
           SELECT 'bench-step-' || g || '-' || k, 'bench-run-' || g, CASE WHEN k = 0 THEN 'start' WHEN k = 9 THEN 'out' ELSE 's' || (k - 1) END,
                  CASE WHEN k = 0 THEN 'start' WHEN k = 9 THEN 'output' ELSE 'agent' END, 1,
                  CASE WHEN g % 10 = 1 AND k = 5 THEN 'failed' ELSE 'done' END,
                  CASE WHEN k BETWEEN 1 AND 8 THEN 300 + g % 200 ELSE 0 END, CASE WHEN k BETWEEN 1 AND 8 THEN 100 + g % 50 ELSE 0 END,
                  CASE WHEN k BETWEEN 1 AND 8 THEN 0.0004 + (g % 7) * 0.0001 ELSE 0 END,
                  now() - (g % 43200) * interval '1 minute' + k * interval '50 millisecond',
                  now() - (g % 43200) * interval '1 minute' + k * interval '50 millisecond' + (20 + (g + k) % 400) * interval '1 millisecond'
           FROM generate_series($1::int, $1::int + $2::int - 1) g, generate_series(0, 9) k`,
          [from, count],
        );
        await pg.query(
          `INSERT INTO "UsageRecord" (id, "workspaceId", "runId", "nodeId", "workflowId", alias, source, "inputTokens", "outputTokens", "costUsd", "latencyMs", status, at)
           SELECT 'bench-use-' || g || '-' || k, $1, 'bench-run-' || g, 's' || k, ($2::text[])[1 + g % 10], CASE WHEN k = 0 THEN 'smart' ELSE 'fast' END, 'workflow',
                  300, 100, 0.0005, 400, 'ok', now() - (g % 43200) * interval '1 minute'
           FROM generate_series($3::int, $3::int + $4::int - 1) g, generate_series(0, 2) k`,
          [ws, workflows, from, count],
        );
        // The ledger's daily totals, as the gateway's ledger keeps them.
        await pg.query(`DELETE FROM "UsageDaily" WHERE "workspaceId" = $1`, [ws]);
        await pg.query(
          `INSERT INTO "UsageDaily" (day, "workspaceId", "userId", alias, "workflowId", calls, "inputTokens", "outputTokens", "costUsd")
           SELECT at::date, "workspaceId", '', alias, "workflowId", count(*), sum("inputTokens"), sum("outputTokens"), sum("costUsd")
           FROM "UsageRecord" WHERE "workspaceId" = $1 GROUP BY 1, 2, 4, 5`,
          [ws],
        );
        // As autovacuum leaves a table some time after a bulk load: statistics and visibility map current.
        await pg.query(`VACUUM ANALYZE "Run"`);
        await pg.query(`VACUUM ANALYZE "RunStep"`);
        await pg.query(`VACUUM ANALYZE "UsageRecord"`);
        await pg.query(`VACUUM ANALYZE "UsageDaily"`);
      }
      const requests: Record<string, string> = {
        workspace7d: "/api/dashboard?days=7",
        workspace30d: "/api/dashboard?days=30",
        workflow30d: `/api/dashboard?days=30&workflowId=${workflows[0]}`,
        version30d: `/api/dashboard?days=30&workflowId=${workflows[0]}&version=2`,
        compareVersions: `/api/dashboard/compare?workflowId=${workflows[0]}&a=1&b=2&days=30`,
        canvasOverlay: `/api/workflows/${workflows[0]}/node-stats?last=50`,
      };
      async function measure() {
        const out: Record<string, { first: number; p50: number; p95: number }> = {};
        for (const [name, path] of Object.entries(requests)) {
          // The first request after the load (cold pool connections and caches), apart.
          const firstRes = await api.get(path);
          if (!firstRes.ok()) throw new Error(`${path}: ${firstRes.status()} ${await firstRes.text()}`);
          const first = serverMs(firstRes.headers());
          const times: number[] = [];
          for (let i = 0; i < ROUNDS; i++) {
            const res = await api.get(path);
            if (!res.ok()) throw new Error(`${path}: ${res.status()} ${await res.text()}`);
            times.push(serverMs(res.headers()));
          }
          out[name] = { first: r2(first), p50: r2(pct(times, 50)), p95: r2(pct(times, 95)) };
        }
        return out;
      }
      await addRuns(0, 1_000);
      const small = await measure();
      await addRuns(1_000, 99_000);
      const counts = (
        await pg.query(
          `SELECT (SELECT count(*) FROM "Run")::int AS runs, (SELECT count(*) FROM "RunStep")::int AS steps`,
        )
      ).rows[0];
      const big = await measure();
      const worst = Math.max(...Object.values(big).map((v) => v.p95));
      console.log(
        JSON.stringify({
          benchmark: "dashboard",
          database: studio.databaseKind,
          runs: counts.runs,
          steps: counts.steps,
          serverMs: { with1000Runs: small, with100000Runs: big },
          ratioP50: Object.fromEntries(Object.keys(requests).map((k) => [k, r2(big[k]!.p50 / small[k]!.p50)])),
          target: "each p95 under 200 ms server time",
          worstP95Ms: worst,
          worstFirstMs: Math.max(...Object.values(big).map((v) => v.first)),
          meetsTarget: worst < 200,
        }),
      );
    } finally {
      await pg.end();
    }
  });
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
