/**
 * Flowdeck beside n8n, both up on this machine in the same run (issue: speed), as the issue
 * measured them: n8n by production webhooks answering with their last node (Webhook → No
 * Operation, and chains of 10 and 100 No Operation nodes; SQLite, execution data saved), Flowdeck
 * from `POST /api/workflows/:id/runs` with an API key to `run.completed` on the run's SSE stream
 * (start → Condition `true` → output, and chains of 10 and 100 Conditions), in one request and in
 * two, and by a webhook trigger in sync mode. Also: 200 runs with 20 clients each waiting for its
 * run, and resident memory (with child processes) idle and after. Ratios are Flowdeck's over n8n's.
 *
 * n8n is not a dependency: N8N_BIN names its binary, installed in a folder of its own (`npm install
 * n8n@2.8.4`; one of its dependencies is fetched from a host outside the registry, which this
 * machine cannot reach: `"overrides": { "xlsx": "0.18.5" }` in that folder's package.json; its
 * sqlite3 module built with `npx node-gyp rebuild` in node_modules/sqlite3). Without N8N_BIN it
 * prints a line saying it was skipped.
 */
import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { chainOf, residentMb, runToEnd } from "./support/http-runs";
import { pct, r2 } from "./support/stats";
import { withStudio } from "./support/studio-with-admin";

const N = 100;
const TOTAL = 200;
const CLIENTS = 20;

/** n8n's workflow: a production webhook answering with its last node, then `noOps` No Operation nodes. */
function n8nChain(id: string, webhookPath: string, noOps: number) {
  const names = ["Webhook", ...Array.from({ length: noOps }, (_, i) => `Step ${i + 1}`)];
  return {
    id,
    name: webhookPath,
    active: false,
    settings: { executionOrder: "v1" },
    nodes: names.map((name, i) =>
      i === 0
        ? {
            id: randomUUID(),
            name,
            type: "n8n-nodes-base.webhook",
            typeVersion: 2,
            position: [0, 0],
            webhookId: randomUUID(),
            parameters: { httpMethod: "POST", path: webhookPath, responseMode: "lastNode", options: {} },
          }
        : {
            id: randomUUID(),
            name,
            type: "n8n-nodes-base.noOp",
            typeVersion: 1,
            position: [i * 200, 0],
            parameters: {},
          },
    ),
    connections: Object.fromEntries(
      names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: "main", index: 0 }]] }]),
    ),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as import("node:net").AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** n8n with the three workflows imported and published, up and answering its webhooks. */
async function startN8n(bin: string) {
  const home = mkdtempSync(path.join(tmpdir(), "n8n-bench-"));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    N8N_USER_FOLDER: home,
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: "127.0.0.1",
    N8N_DIAGNOSTICS_ENABLED: "false",
    N8N_VERSION_NOTIFICATIONS_ENABLED: "false",
    N8N_TEMPLATES_ENABLED: "false",
    N8N_LOG_LEVEL: "warn",
    DB_TYPE: "sqlite",
    EXECUTIONS_DATA_SAVE_ON_SUCCESS: "all",
  };
  // Its own settings only: not the studio's database, nor Node.js options meant for the studio.
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  const workflows = [
    n8nChain("fdbenchtrivial01", "trivial", 1),
    n8nChain("fdbenchchain0010", "chain10", 10),
    n8nChain("fdbenchchain0100", "chain100", 100),
  ];
  const file = path.join(home, "workflows.json");
  writeFileSync(file, JSON.stringify(workflows));
  execFileSync(bin, ["import:workflow", `--input=${file}`], { env, stdio: "ignore" });
  for (const w of workflows) execFileSync(bin, ["publish:workflow", `--id=${w.id}`], { env, stdio: "ignore" });
  const child = spawn(bin, ["start"], { env, stdio: "ignore", detached: true });
  const url = `http://127.0.0.1:${port}`;
  const call = async (webhook: string) => {
    const t = performance.now();
    const res = await fetch(`${url}/webhook/${webhook}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Ada" }),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`n8n's webhook ${webhook} answered ${res.status}`);
    return performance.now() - t;
  };
  const stop = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // gone already
    }
    rmSync(home, { recursive: true, force: true });
  };
  for (let tries = 0; ; tries += 1) {
    try {
      await call("chain100");
      break;
    } catch (error) {
      if (tries > 120) {
        stop(); // not left behind when it never came up
        throw error;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  return { url, call, stop };
}

const p50 = (xs: number[]) => r2(pct(xs, 50));
const ratio = (a: number, b: number) => r2(a / b);

/** `n` calls of each, interleaved so drift on a noisy machine hits all alike, after 20 of each to warm up. */
async function interleaved(n: number, calls: (() => Promise<number>)[]): Promise<number[][]> {
  for (const call of calls) for (let i = 0; i < 20; i += 1) await call();
  const times = calls.map(() => [] as number[]);
  for (let i = 0; i < n; i += 1) for (const [k, call] of calls.entries()) times[k]!.push(await call());
  return times;
}

/** Runs per second: TOTAL calls by CLIENTS clients, each waiting for its own; two rounds to warm up, then the median of three. */
async function perSecond(call: () => Promise<unknown>): Promise<number> {
  const round = async () => {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < TOTAL) {
          next += 1;
          await call();
        }
      }),
    );
    return TOTAL / ((performance.now() - t0) / 1000);
  };
  await round();
  await round();
  return r2(pct([await round(), await round(), await round()], 50));
}

async function main() {
  const bin = process.env.N8N_BIN;
  if (!bin) {
    console.log(
      JSON.stringify({
        benchmark: "versus-n8n",
        skipped: "N8N_BIN is not set: install n8n in a folder of its own and name its binary (see bench/versus-n8n.ts)",
      }),
    );
    return;
  }
  await withStudio(async (studio, api) => {
    const { key } = (await (await api.post("/api/api-keys", { data: { name: "bench" } })).json()) as { key: string };
    const publish = async (name: string, conditions: number) => {
      const made = await api.post("/api/workflows", { data: { name, graph: chainOf(conditions) } });
      const { id, revision } = (await made.json()) as { id: string; revision: number };
      const published = await api.post(`/api/workflows/${id}/versions`, { data: { note: "bench", revision } });
      if (published.status() !== 201) throw new Error(`${name}: ${published.status()} ${await published.text()}`);
      return id;
    };
    const trivial = await publish("Trivial", 1);
    const ten = await publish("Chain of 10", 10);
    const hundred = await publish("Chain of 100", 100);
    const made = await api.post(`/api/workflows/${trivial}/triggers`, {
      data: { name: "bench", config: { mode: "sync", waitSeconds: 30, perMinute: 10_000 } },
    });
    if (made.status() !== 201) throw new Error(`trigger: ${made.status()} ${await made.text()}`);
    const hook = (await made.json()) as { path: string; secret: string };
    const webhook = async () => {
      const t = performance.now();
      const res = await fetch(`${studio.url}${hook.path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${hook.secret}`, "content-type": "application/json" },
        body: "{}", // the Start step asks for nothing
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`Flowdeck's webhook answered ${res.status}`);
      return performance.now() - t;
    };
    const n8n = await startN8n(bin);
    try {
      const idle = { flowdeck: residentMb(studio.url), n8n: residentMb(n8n.url) };
      const api2 = (id: string) => () => runToEnd(studio.url, key, id);
      const api1 = (id: string) => () => runToEnd(studio.url, key, id, true);
      const [n8nTrivial, twoRequests, oneRequest, hookSync] = await interleaved(N, [
        () => n8n.call("trivial"),
        api2(trivial),
        api1(trivial),
        webhook,
      ]);
      const [n8n10, ours10] = await interleaved(30, [() => n8n.call("chain10"), api1(ten)]);
      const [n8n100, ours100] = await interleaved(10, [() => n8n.call("chain100"), api1(hundred)]);
      const perStep = (at10: number[], at100: number[]) => r2((pct(at100, 50) - pct(at10, 50)) / 90);
      // Each system's memory after the same work: its own 1,000 runs (five rounds of 200), measured
      // before Flowdeck's other two ways of starting runs take their turn.
      const n8nPerSecond = await perSecond(() => n8n.call("trivial"));
      const flowdeckTwoRequests = await perSecond(api2(trivial));
      const after = { flowdeck: residentMb(studio.url), n8n: residentMb(n8n.url) };
      // And once both have had ten quiet seconds to collect what the load left.
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      const settled = { flowdeck: residentMb(studio.url), n8n: residentMb(n8n.url) };
      const throughput = {
        n8n: n8nPerSecond,
        flowdeckTwoRequests,
        flowdeckOneRequest: await perSecond(api1(trivial)),
        flowdeckWebhook: await perSecond(webhook),
      };
      const mem = (x: { flowdeck: number | null; n8n: number | null }) =>
        x.flowdeck && x.n8n ? ratio(x.flowdeck, x.n8n) : null;
      console.log(
        JSON.stringify({
          benchmark: "versus-n8n",
          database: studio.databaseKind,
          n8n: "2.8.4 on SQLite, execution data saved",
          trivialRunMs: {
            n8nWebhook: p50(n8nTrivial!),
            flowdeckTwoRequests: p50(twoRequests!),
            flowdeckOneRequest: p50(oneRequest!),
            flowdeckWebhook: p50(hookSync!),
          },
          marginalMsPerCheapStep: { n8nNoOp: perStep(n8n10!, n8n100!), flowdeckCondition: perStep(ours10!, ours100!) },
          runsPerSecondAtConcurrency20: throughput,
          residentMb: { idle, afterThroughput: after, tenSecondsLater: settled },
          ratios: {
            trivialRunTwoRequests: ratio(pct(twoRequests!, 50), pct(n8nTrivial!, 50)),
            trivialRunOneRequest: ratio(pct(oneRequest!, 50), pct(n8nTrivial!, 50)),
            trivialRunWebhook: ratio(pct(hookSync!, 50), pct(n8nTrivial!, 50)),
            throughputTwoRequests: ratio(throughput.flowdeckTwoRequests, throughput.n8n),
            throughputWebhook: ratio(throughput.flowdeckWebhook, throughput.n8n),
            memoryIdle: mem(idle),
            memoryAfterThroughput: mem(after),
            memoryTenSecondsLater: mem(settled),
          },
          targets: { trivialRunAtMost: 0.5, throughputAtLeast: 2, memoryAtMost: 0.5 },
        }),
      );
    } finally {
      n8n.stop();
    }
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
