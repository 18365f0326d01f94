import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";
import { seedWorkspace, pointAtScratchDatabase } from "../support/process-database";
import type { Viewer } from "../../lib/auth/session";
import { allowLoopback } from "../support/loopback-destination";

/**
 * The OpenAI-compatible door's short way to an OpenAI-shaped provider (lib/gateway/pass-through.ts)
 * against a real server on loopback: what the provider is sent, failover before the first token,
 * the output limit on a provider that ignores it, a stream that breaks, and the ledger of each.
 */
let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>>;
let llm: FakeLlmServer;
let admin: Viewer;
let mod: {
  door: typeof import("../../lib/gateway/openai-compat");
  admin: typeof import("../../lib/gateway/admin");
  ledger: typeof import("../../lib/gateway/ledger");
  db: typeof import("../../lib/db/client");
};

beforeAll(async () => {
  scratch = await pointAtScratchDatabase("gatewaydoor", { FLOWDECK_GATEWAY_COOLDOWN_SECONDS: "1" });
  mod = {
    door: await import("../../lib/gateway/openai-compat"),
    admin: await import("../../lib/gateway/admin"),
    ledger: await import("../../lib/gateway/ledger"),
    db: await import("../../lib/db/client"),
  };
  [admin] = await seedWorkspace(await mod.db.db(), "acme", [
    { email: "ada@example.com", role: "ADMIN", installationOwner: true },
  ]);
  // The workspace's own provider: the organization lets it bring its own keys.
  await (await mod.db.db()).gatewaySettings.create({ data: { workspaceId: admin.workspace.id, ownProviders: true } });
  llm = await startFakeLlmServer();
  await allowLoopback(admin); // the provider is on this machine: the team's admin allows the address
  const { id: providerId } = await mod.admin.saveProvider(admin, {
    name: "Loopback",
    kind: "OPENAI_COMPATIBLE",
    baseUrl: llm.baseUrl,
    apiKey: "sk-door-secret",
  });
  const deployment = (modelId: string, weight: number) => ({
    providerId,
    modelId,
    weight,
    rpmLimit: null,
    tpmLimit: null,
    timeoutSeconds: 30,
  });
  const alias = (name: string, deployments: ReturnType<typeof deployment>[], maxOutputTokens = 1000) =>
    mod.admin.saveAlias(admin, {
      name,
      description: "",
      inputPricePerMTok: 0,
      outputPricePerMTok: 1_000_000, // $1 per output token
      contextWindow: 128_000,
      maxOutputTokens,
      supportsTools: true,
      supportsStructured: true,
      allowedRoles: ["ADMIN"],
      allowedUserIds: [],
      cacheTtlSeconds: 0,
      deployments,
    });
  await alias("chat", [deployment("down", 1), deployment("up", 0)]);
  await alias("short", [deployment("chatty", 1)], 5);
  await alias("tools", [deployment("tool-model", 1)]);
  await alias("broken", [deployment("breaks", 1)]);
  await alias("honest", [deployment("exact", 1)]);
  await alias("flaky", [deployment("drops", 1), deployment("up", 0)]);
  await alias("moved", [deployment("redirects", 1)]);
  await alias("plain", [deployment("whole", 1)]);
  await alias("slow", [deployment("hangs", 1)]);
  await alias("long", [deployment("trickles", 1)]);
});

afterAll(async () => {
  await llm?.close();
  await scratch?.done();
});

beforeEach(() => {
  llm.reset();
  llm.behave("down", { kind: "status", status: 503 });
  llm.behave("up", { kind: "answer", text: "Hello from the backup.", usage: { prompt: 7, completion: 4 } });
  llm.behave("chatty", { kind: "answer", text: "word ".repeat(40).trim() });
  llm.behave("tool-model", { kind: "tool", name: "get_weather", arguments: { city: "Oslo" } });
  llm.behave("breaks", { kind: "break-after-first" });
  llm.behave("exact", {
    kind: "answer",
    text: "one two three four five",
    honourMaxTokens: true,
    usage: { prompt: 500, completion: 3 },
  });
  llm.behave("drops", { kind: "break-before-first" });
  llm.behave("redirects", { kind: "status", status: 302 });
  llm.behave("whole", { kind: "ignores-stream" });
  llm.behave("hangs", { kind: "hang" });
  llm.behave("trickles", { kind: "answer", text: "word ".repeat(100).trim(), chunkDelayMs: 30 });
});

const complete = (body: Record<string, unknown>, signal = new AbortController().signal) =>
  mod.door.chatCompletion(admin, mod.door.chatCompletionSchema.parse(body), signal);
const ledgerIds = async () => {
  await mod.ledger.flushLedger();
  return new Set((await (await mod.db.db()).usageRecord.findMany({ select: { id: true } })).map((r) => r.id));
};
/** Runs `call` and returns the one ledger row it wrote (failing when it wrote none, or more). */
async function oneRow(call: () => Promise<unknown>) {
  const before = await ledgerIds();
  await call();
  await mod.ledger.flushLedger();
  const rows = (await (await mod.db.db()).usageRecord.findMany()).filter((r) => !before.has(r.id));
  expect(rows).toHaveLength(1);
  return rows[0]!;
}
const reserved = async () =>
  (await (await mod.db.db()).budgetUsage.findMany()).reduce((sum, b) => sum + b.reservedUsd, 0);
const dataLines = async (res: Response) =>
  (await res.text())
    .split("\n")
    .filter((l) => l.startsWith("data: "))
    .map((l) => l.slice(6));

describe("the gateway's OpenAI-compatible door, straight to an OpenAI-shaped provider", () => {
  it("fails over before the first token, sends the provider the call's fields and output limit only, and answers as the alias", async () => {
    let answer: Record<string, unknown> = {};
    const row = await oneRow(async () => {
      const res = await complete({
        model: "chat",
        messages: [
          { role: "developer", content: "Be brief." },
          { role: "user", content: [{ type: "text", text: "hi", extra: "not sent" }] },
        ],
        max_tokens: 30,
        n: 3,
        temperature: 0.2,
      });
      expect(res.status).toBe(200);
      answer = await res.json();
    });
    expect(answer).toMatchObject({
      object: "chat.completion",
      model: "chat",
      choices: [{ message: { role: "assistant", content: "Hello from the backup." }, finish_reason: "stop" }],
      usage: { prompt_tokens: 7, completion_tokens: 4, total_tokens: 11 },
    });
    expect(llm.calls("down")).toBe(1);
    expect(llm.calls("up")).toBe(1);
    const sent = llm.requests.at(-1)! as unknown as Record<string, unknown>;
    expect(sent).toMatchObject({ model: "up", max_tokens: 30, stream: true, temperature: 0.2 });
    expect(sent).not.toHaveProperty("n"); // one answer is what the budget reserved
    // Messages as validated: text only, "developer" as "system".
    expect(sent.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "hi" },
    ]);
    expect(llm.keysSeen.has("sk-door-secret")).toBe(true);
    expect(row).toMatchObject({ alias: "chat", modelId: "up", status: "ok", outputTokens: 4, costUsd: 4 });
  });

  it("streams the provider's chunks as they come, with usage at the end when asked for", async () => {
    let lines: string[] = [];
    const row = await oneRow(async () => {
      const res = await complete({
        model: "chat",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      expect(res.headers.get("content-type")).toBe("text/event-stream");
      lines = await dataLines(res);
    });
    expect(lines.at(-1)).toBe("[DONE]");
    const chunks = lines.slice(0, -1).map((l) => JSON.parse(l));
    expect(chunks.every((c) => c.model === "chat" && c.id === chunks[0].id)).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("")).toBe("Hello from the backup.");
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: 11 } });
    expect(chunks.filter((c) => c.usage)).toHaveLength(1);
    expect(row).toMatchObject({ alias: "chat", status: "ok", inputTokens: 7, outputTokens: 4 });
  });

  it("cuts off a provider that ignores the output limit, streamed or not, and charges what came", async () => {
    let whole: { choices: { finish_reason: string; message: { content: string } }[] } = { choices: [] };
    const wholeRow = await oneRow(async () => {
      whole = await (await complete({ model: "short", messages: [{ role: "user", content: "talk" }] })).json();
    });
    expect(whole.choices[0]!.finish_reason).toBe("length");
    expect(whole.choices[0]!.message.content.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(5);
    expect(wholeRow).toMatchObject({ alias: "short", status: "ok", outputTokens: 5, costUsd: 5 });

    let lines: string[] = [];
    const streamedRow = await oneRow(async () => {
      lines = await dataLines(
        await complete({ model: "short", messages: [{ role: "user", content: "talk" }], stream: true }),
      );
    });
    const chunks = lines.filter((l) => l !== "[DONE]").map((l) => JSON.parse(l));
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");
    expect(text.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(5);
    expect(chunks.at(-1).choices[0].finish_reason).toBe("length");
    expect(lines.at(-1)).toBe("[DONE]");
    expect(streamedRow).toMatchObject({ alias: "short", status: "ok", outputTokens: 5, costUsd: 5 });
  });

  it("lets a provider that stops exactly at the limit finish, and charges the usage it reports", async () => {
    for (const stream of [false, true]) {
      const row = await oneRow(async () => {
        const res = await complete({
          model: "honest",
          messages: [{ role: "user", content: "count" }],
          max_tokens: 3,
          stream,
        });
        await res.text();
      });
      // The provider's own count of a long prompt, not the gateway's estimate of it.
      expect(row).toMatchObject({ alias: "honest", status: "ok", inputTokens: 500, outputTokens: 3 });
    }
  });

  it("passes tool calls through, whole or streamed", async () => {
    const call = await (
      await complete({
        model: "tools",
        messages: [{ role: "user", content: "Weather in Oslo?" }],
        tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }],
      })
    ).json();
    expect(call.choices[0].finish_reason).toBe("tool_calls");
    expect(call.choices[0].message.content).toBeNull();
    expect(call.choices[0].message.tool_calls[0]).toMatchObject({
      type: "function",
      function: { name: "get_weather" },
    });
    expect(JSON.parse(call.choices[0].message.tool_calls[0].function.arguments)).toEqual({ city: "Oslo" });
  });

  it("reports a stream that breaks after the first token as an error, and does not fail over", async () => {
    let lines: string[] = [];
    const row = await oneRow(async () => {
      lines = await dataLines(
        await complete({ model: "broken", messages: [{ role: "user", content: "hi" }], stream: true }),
      );
    });
    expect(JSON.parse(lines[0]!).choices[0].delta.content).toBe("first chunk ");
    expect(JSON.parse(lines.at(-1)!).error.message).toMatch(/The model “broken” broke off after the first token/);
    expect(llm.calls("breaks")).toBe(1);
    expect(row).toMatchObject({ alias: "broken", status: "error" });
  });

  it("fails over when a provider's stream breaks before its first token", async () => {
    let answer: { choices: { message: { content: string } }[] } = { choices: [] };
    const row = await oneRow(async () => {
      answer = await (await complete({ model: "flaky", messages: [{ role: "user", content: "hi" }] })).json();
    });
    expect(answer.choices[0]!.message.content).toBe("Hello from the backup.");
    expect(llm.calls("drops")).toBe(1);
    expect(row).toMatchObject({ alias: "flaky", modelId: "up", status: "ok" });
  });

  it("answers a provider's refusal, a redirect, or a whole answer where a stream was asked for in OpenAI's error shape", async () => {
    llm.behave("up", { kind: "status", status: 500 });
    for (const [model, message] of [
      ["chat", /fake failure 500/],
      ["moved", /answered 302/],
      ["plain", /application\/json, not a stream of events/],
    ] as const) {
      const row = await oneRow(async () => {
        const res = await complete({ model, messages: [{ role: "user", content: "hi" }] });
        expect(res.status).toBe(502);
        const { error } = await res.json();
        expect(error).toMatchObject({ code: "upstream", type: "upstream_error" });
        expect(error.message).toMatch(message);
      });
      expect(row).toMatchObject({ alias: model, status: "error", costUsd: 0 });
    }
  });

  describe("with rate limits and budgets on", () => {
    const noLimits = {
      userRpm: null,
      userTpm: null,
      workspaceRpm: null,
      workspaceTpm: null,
      workspaceBudgetUsd: null,
      userBudgetUsd: null,
      budgetPeriod: "DAY" as const,
    };
    afterEach(() => mod.admin.saveLimits(admin, noLimits));
    beforeEach(async () => {
      await mod.admin.saveLimits(admin, {
        userRpm: 1000,
        userTpm: 1_000_000,
        workspaceRpm: 1000,
        workspaceTpm: 1_000_000,
        workspaceBudgetUsd: 100_000,
        userBudgetUsd: 100_000,
        budgetPeriod: "DAY",
      });
    });

    it("settles every call with its real cost, streamed or not", async () => {
      const spent = async () =>
        (await (await mod.db.db()).budgetUsage.findMany({ where: { key: { startsWith: "ws:" } } }))[0]?.spentUsd ?? 0;
      const before = await spent();
      let charged = 0;
      for (const stream of [false, true]) {
        const row = await oneRow(async () => {
          await (await complete({ model: "chat", messages: [{ role: "user", content: "hi" }], stream })).text();
        });
        charged += row.costUsd;
      }
      await expect.poll(reserved).toBeLessThan(1e-9);
      await expect.poll(spent).toBeCloseTo(before + charged, 6);
    });

    it("settles a call whose client goes away before the first token, or while it streams", async () => {
      const early = new AbortController();
      const early_ = oneRow(async () => {
        const pending = complete({ model: "slow", messages: [{ role: "user", content: "hi" }] }, early.signal);
        setTimeout(() => early.abort(), 200);
        await expect(pending).rejects.toBeDefined();
      });
      expect(await early_).toMatchObject({ alias: "slow", status: "error" });

      const late = new AbortController();
      const row = await oneRow(async () => {
        const res = await complete(
          { model: "long", messages: [{ role: "user", content: "hi" }], stream: true },
          late.signal,
        );
        const reader = res.body!.getReader();
        await reader.read(); // the first chunk, then the client is gone (nobody reads on)
        late.abort();
      });
      expect(row).toMatchObject({ alias: "long", status: "error", error: "cancelled by the caller" });
      await expect.poll(reserved).toBeLessThan(1e-9);
    });

    it("refuses a call over budget before it reaches the provider", async () => {
      await mod.admin.saveLimits(admin, { ...noLimits, workspaceBudgetUsd: 0.5 });
      const calls = llm.calls();
      const row = await oneRow(async () => {
        const res = await complete({ model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 10 });
        expect(res.status).toBe(402);
        expect((await res.json()).error.message).toMatch(/Budget reached: this workspace's budget/);
      });
      expect(row).toMatchObject({ alias: "chat", status: "refused" });
      expect(llm.calls()).toBe(calls);
    });
  });

  it("adds every ledger row to the daily totals the usage page reads", async () => {
    await mod.ledger.flushLedger();
    const prisma = await mod.db.db();
    const rows = await prisma.usageRecord.groupBy({
      by: ["alias"],
      _count: true,
      _sum: { costUsd: true, outputTokens: true },
      orderBy: { alias: "asc" },
    });
    const daily = await prisma.usageDaily.groupBy({
      by: ["alias"],
      _sum: { calls: true, errors: true, costUsd: true, outputTokens: true },
      orderBy: { alias: "asc" },
    });
    expect(daily.map((d) => [d.alias, d._sum.calls, d._sum.costUsd, d._sum.outputTokens])).toEqual(
      rows.map((r) => [r.alias, r._count, r._sum.costUsd, r._sum.outputTokens]),
    );
    expect(daily.find((d) => d.alias === "broken")?._sum.errors).toBe(1);
    expect((await prisma.usageDaily.findFirst())?.day.toISOString().slice(0, 10)).toBe(
      new Date().toISOString().slice(0, 10),
    );
  });
});
