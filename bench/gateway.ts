/**
 * Gateway benchmark (issue: LLM gateway). In one run, against the same OpenAI-compatible
 * server on loopback:
 * - in-process: a call through the governed model vs the same AI SDK model called directly
 *   (p50/p99 added latency), with no limits, and with rate limits and a budget switched on;
 * - over HTTP: the official openai client through /api/gateway/v1 vs straight to the server,
 *   without limits, then with rate limits and budgets on; beside them, the floor: a bare Node.js
 *   proxy in a process of its own (bench/support/bare-proxy.ts), what any HTTP gateway that
 *   streams from the provider costs on this machine;
 * - throughput: 20 concurrent streams through the HTTP endpoint.
 * Prints one JSON object. Targets: ≤ 1 ms p50 added in-process and over HTTP, ≤ 5 ms p99 over HTTP.
 */
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV3, LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { fork } from "node:child_process";
import OpenAI from "openai";
import { startFakeLlmServer } from "../test/support/fake-llm-server";
import { seedWorkspace, pointAtScratchDatabase } from "../test/support/process-database";
import { withStudio } from "./support/studio-with-admin";
import { addLoopbackModels } from "../e2e/support/loopback-model";
import { loopbackAlias } from "./support/loopback-alias";
import { pct, r2 } from "./support/stats";

const N = 300;
/** Calls over HTTP: warm-up per path, then interleaved measurements per path. */
const WARM_UP = 2000;
const N_HTTP = 1000;
/** Rate limits and budgets switched on, too high to refuse anything: what they cost, not what they stop. */
const HIGH_LIMITS = {
  userRpm: 1_000_000,
  userTpm: 100_000_000,
  workspaceRpm: 1_000_000,
  workspaceTpm: 100_000_000,
  workspaceBudgetUsd: 1_000_000,
  userBudgetUsd: 1_000_000,
  budgetPeriod: "MONTH" as const,
};
const options: LanguageModelV3CallOptions = {
  prompt: [{ role: "user", content: [{ type: "text", text: "Say hi" }] }],
  maxOutputTokens: 20,
};

async function time(n: number, call: () => PromiseLike<unknown>): Promise<number[]> {
  for (let i = 0; i < 20; i++) await call(); // warm up
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call();
    out.push(performance.now() - t);
  }
  return out;
}

/** Interleaves three measurements so drift on a noisy machine hits all alike: direct, the floor, the gateway. */
async function three(
  n: number,
  direct: () => PromiseLike<unknown>,
  floor: () => PromiseLike<unknown>,
  gateway: () => PromiseLike<unknown>,
) {
  const calls = [direct, floor, gateway];
  // Steady state, as a gateway serving traffic is: a long warm-up (the studio's many code paths
  // are optimized over the first thousand calls or so), then many interleaved calls, so one run's
  // medians move less with this two-core machine's noise.
  for (const call of calls) await time(WARM_UP, call);
  const times: number[][] = [[], [], []];
  for (let i = 0; i < n; i++)
    for (const [k, call] of calls.entries()) {
      const t = performance.now();
      await call();
      times[k]!.push(performance.now() - t);
    }
  const [d, f, g] = times.map((xs) => ({ p50: pct(xs, 50), p99: pct(xs, 99) })) as [Stat, Stat, Stat];
  return {
    direct: { p50: r2(d.p50), p99: r2(d.p99) },
    floor: { p50: r2(f.p50), p99: r2(f.p99) },
    gateway: { p50: r2(g.p50), p99: r2(g.p99) },
    addedP50Ms: r2(g.p50 - d.p50),
    addedP99Ms: r2(g.p99 - d.p99),
    floorAddedP50Ms: r2(f.p50 - d.p50),
    aboveFloorP50Ms: r2(g.p50 - f.p50),
  };
}
type Stat = { p50: number; p99: number };

/** The bare proxy (the floor), started in a process of its own. */
async function startFloor(llmBase: string): Promise<{ url: string; stop(): void }> {
  const child = fork("bench/support/bare-proxy.ts", [llmBase], { execArgv: ["--import", "tsx"], stdio: "inherit" });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (m) => resolve(String(m)));
    child.once("exit", (code) => reject(new Error(`the bare proxy exited (${code})`)));
  });
  return { url, stop: () => void child.kill() };
}

/** Interleaves two measurements so drift on a noisy machine hits both alike. */
async function paired(n: number, a: () => PromiseLike<unknown>, b: () => PromiseLike<unknown>) {
  await time(20, a);
  await time(20, b);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    await a();
    xs.push(performance.now() - t);
    t = performance.now();
    await b();
    ys.push(performance.now() - t);
  }
  return {
    direct: { p50: r2(pct(xs, 50)), p99: r2(pct(xs, 99)) },
    gateway: { p50: r2(pct(ys, 50)), p99: r2(pct(ys, 99)) },
    addedP50Ms: r2(pct(ys, 50) - pct(xs, 50)),
    addedP99Ms: r2(pct(ys, 99) - pct(xs, 99)),
  };
}

async function drain(model: LanguageModelV3) {
  const { stream } = await model.doStream(options);
  const reader = stream.getReader();
  while (!(await reader.read()).done);
}

async function inProcess(llmBase: string) {
  const scratch = await pointAtScratchDatabase("benchgw");
  const { db } = await import("../lib/db/client");
  const admin = await import("../lib/gateway/admin");
  const { governedModel } = await import("../lib/gateway/pipeline");
  const { flushLedger } = await import("../lib/gateway/ledger");
  try {
    const prisma = await db();
    const [viewer] = await seedWorkspace(prisma, "bench", [{ email: "bench@example.com", role: "ADMIN" }]);
    const ws = viewer.workspace;
    const user = viewer.user;
    await loopbackAlias(viewer, llmBase);
    const caller = { workspaceId: ws.id, userId: user.id, role: "ADMIN" as const, source: "api" as const };
    const direct = createOpenAICompatible({ name: "direct", baseURL: llmBase, includeUsage: true })("bench");
    const governed = governedModel("fast", caller);
    const generate = await paired(
      N,
      () => direct.doGenerate(options),
      () => governed.doGenerate(options),
    );
    const stream = await paired(
      N,
      () => drain(direct),
      () => drain(governed),
    );
    await admin.saveLimits(viewer, HIGH_LIMITS);
    const limited = await paired(
      N,
      () => direct.doGenerate(options),
      () => governed.doGenerate(options),
    );
    await flushLedger();
    return { generate, stream, withLimitsAndBudgets: limited };
  } finally {
    await scratch.done();
  }
}

async function overHttp(llmUrl: string) {
  return withStudio(async (studio, api) => {
    await addLoopbackModels(api, `${llmUrl}/v1`, { fast: "bench" });
    const { key } = await (await api.post("/api/api-keys", { data: { name: "bench" } })).json();
    const viaGateway = new OpenAI({ apiKey: key, baseURL: `${studio.url}/api/gateway/v1`, maxRetries: 0 });
    const straight = new OpenAI({ apiKey: "none", baseURL: `${llmUrl}/v1`, maxRetries: 0 });
    const floor = await startFloor(`${llmUrl}/v1`);
    const viaFloor = new OpenAI({ apiKey: "none", baseURL: `${floor.url}/v1`, maxRetries: 0 });
    const body = { messages: [{ role: "user" as const, content: "Say hi" }], max_tokens: 20 };
    const calls = [
      () => straight.chat.completions.create({ ...body, model: "bench" }),
      () => viaFloor.chat.completions.create({ ...body, model: "bench" }),
      () => viaGateway.chat.completions.create({ ...body, model: "fast" }),
    ] as const;
    const http = await three(N_HTTP, ...calls);
    const limited = await api.put("/api/admin/gateway/limits", {
      data: HIGH_LIMITS,
    });
    if (!limited.ok()) throw new Error(`limits: ${limited.status()} ${await limited.text()}`);
    const httpWithLimits = await three(N_HTTP, ...calls);
    floor.stop();
    // 20 concurrent streams, for 5 s.
    const until = Date.now() + 5_000;
    let done = 0;
    const ttfts: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (Date.now() < until) {
          const t = performance.now();
          const s = await viaGateway.chat.completions.create({ ...body, model: "fast", stream: true });
          let first = true;
          for await (const c of s) {
            if (first && c.choices[0]?.delta.content) {
              ttfts.push(performance.now() - t);
              first = false;
            }
          }
          done += 1;
        }
      }),
    );
    return {
      http,
      httpWithLimits,
      concurrent20: { streamsPerSecond: r2(done / 5), ttftP50Ms: r2(pct(ttfts, 50)), ttftP99Ms: r2(pct(ttfts, 99)) },
      database: studio.databaseKind,
    };
  });
}

async function main() {
  const llm = await startFakeLlmServer();
  llm.behave("bench", {
    kind: "answer",
    text: "hi there, this is a short answer",
    usage: { prompt: 5, completion: 8 },
  });
  try {
    const process_ = await inProcess(llm.baseUrl);
    const http = await overHttp(llm.url);
    console.log(
      JSON.stringify({
        benchmark: "gateway",
        database: http.database,
        inProcess: process_,
        overHttp: http.http,
        overHttpWithLimitsAndBudgets: http.httpWithLimits,
        concurrent20: http.concurrent20,
        targets: { addedP50MsInProcess: 1, addedP50MsOverHttp: 1, addedP99MsOverHttp: 5 },
        note: "added = gateway p50 minus direct p50; floor = a bare Node.js proxy that streams from the provider, in a process of its own; all interleaved in the same run against the same loopback server",
      }),
    );
  } finally {
    await llm.close();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
