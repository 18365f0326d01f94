import { generateText, streamText } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";
import { seedWorkspace, pointAtScratchDatabase } from "../support/process-database";
import type { Viewer } from "../../lib/auth/session";
import type { AliasInput } from "../../lib/schemas/gateway";

/**
 * The gateway pipeline against a real OpenAI-compatible server on loopback (with faults on
 * demand) and a real database: routing, failover, cooldown, budgets, limits, access, cache,
 * ledger.
 */
let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>>;
let llm: FakeLlmServer;
let admin: Viewer;
let builder: Viewer;
let mod: {
  gateway: typeof import("../../lib/gateway/pipeline");
  admin: typeof import("../../lib/gateway/admin");
  ledger: typeof import("../../lib/gateway/ledger");
  db: typeof import("../../lib/db/client");
};

beforeAll(async () => {
  scratch = await pointAtScratchDatabase("gateway", { FLOWDECK_GATEWAY_COOLDOWN_SECONDS: "1" });
  mod = {
    gateway: await import("../../lib/gateway/pipeline"),
    admin: await import("../../lib/gateway/admin"),
    ledger: await import("../../lib/gateway/ledger"),
    db: await import("../../lib/db/client"),
  };
  [admin, builder] = await seedWorkspace(await mod.db.db(), "acme", [
    { email: "ada@example.com", role: "ADMIN" },
    { email: "bob@example.com", role: "BUILDER" },
  ]);
  llm = await startFakeLlmServer();
});

afterAll(async () => {
  await llm?.close();
  await scratch?.done();
});

let providerId: string;
beforeEach(async () => {
  llm.reset();
  const prisma = await mod.db.db();
  await prisma.modelDeployment.deleteMany();
  await prisma.modelAlias.deleteMany();
  await prisma.modelProvider.deleteMany();
  await prisma.gatewaySettings.deleteMany();
  await prisma.budgetUsage.deleteMany();
  await prisma.rateLimiterFlexible.deleteMany();
  await prisma.gatewayRateLimit.deleteMany();
  providerId = (
    await mod.admin.saveProvider(admin, {
      name: "Loopback",
      kind: "OPENAI_COMPATIBLE",
      baseUrl: llm.baseUrl,
      apiKey: "sk-test-secret-1234",
    })
  ).id;
});

async function alias(
  name: string,
  deployments: { modelId: string; weight?: number; timeoutSeconds?: number }[],
  extra: Partial<AliasInput> = {},
) {
  await mod.admin.saveAlias(admin, {
    name,
    description: "",
    inputPricePerMTok: 0,
    outputPricePerMTok: 1_000_000, // $1 per output token: costs are easy to read
    contextWindow: 128_000,
    maxOutputTokens: 1000,
    supportsTools: true,
    supportsStructured: true,
    allowedRoles: ["ADMIN", "BUILDER"],
    allowedUserIds: [],
    cacheTtlSeconds: 0,
    ...extra,
    deployments: deployments.map((d) => ({
      providerId,
      modelId: d.modelId,
      weight: d.weight ?? 1,
      rpmLimit: null,
      tpmLimit: null,
      timeoutSeconds: d.timeoutSeconds ?? 30,
    })),
  });
}

const caller = (viewer: Viewer) => ({
  workspaceId: viewer.workspace.id,
  userId: viewer.user.id,
  role: viewer.role,
  source: "api" as const,
});
const ask = (aliasName: string, viewer = builder, extra: Record<string, unknown> = {}) =>
  generateText({
    model: mod.gateway.governedModel(aliasName, caller(viewer)),
    prompt: "hello there",
    maxRetries: 0,
    ...extra,
  });
async function ledgerRows() {
  await mod.ledger.flushLedger();
  return (await mod.db.db()).usageRecord.findMany({ orderBy: { at: "asc" } });
}

describe("gateway pipeline", () => {
  it("sends a call to the alias's deployment and writes one ledger row with tokens, cost and timings", async () => {
    await alias("fast", [{ modelId: "m-ok" }]);
    llm.behave("m-ok", { kind: "answer", text: "hi from the model", usage: { prompt: 7, completion: 3 } });
    const result = await ask("fast");
    expect(result.text).toBe("hi from the model");
    expect(llm.keysSeen.has("sk-test-secret-1234")).toBe(true);
    const [row] = (await ledgerRows()).slice(-1);
    expect(row).toMatchObject({
      alias: "fast",
      modelId: "m-ok",
      inputTokens: 7,
      outputTokens: 3,
      costUsd: 3,
      status: "ok",
      cacheHit: false,
      userId: builder.user.id,
    });
    expect(row!.ttftMs).not.toBeNull();
  });

  it("fails over on 429 and on 500 to the next deployment", async () => {
    for (const status of [429, 500]) {
      llm.reset();
      await (await mod.db.db()).modelAlias.deleteMany();
      await alias("smart", [{ modelId: `m-${status}` }, { modelId: "m-backup", weight: 0 }]);
      llm.behave(`m-${status}`, { kind: "status", status });
      llm.behave("m-backup", { kind: "answer", text: "backup answered" });
      expect((await ask("smart")).text).toBe("backup answered");
      expect(llm.calls(`m-${status}`)).toBe(1);
      expect(llm.calls("m-backup")).toBe(1);
    }
  });

  it("fails over when the first token does not come in time, and streams from the next deployment", async () => {
    await alias("smart", [
      { modelId: "m-hang", timeoutSeconds: 1 },
      { modelId: "m-backup", weight: 0 },
    ]);
    llm.behave("m-hang", { kind: "hang" });
    llm.behave("m-backup", { kind: "answer", text: "streamed from the backup" });
    const result = streamText({
      model: mod.gateway.governedModel("smart", caller(builder)),
      prompt: "hi",
      maxRetries: 0,
    });
    expect(await result.text).toBe("streamed from the backup");
    expect(llm.calls("m-hang")).toBe(1);
  });

  it("reports an error after the first streamed token as an error, and does not fail over", async () => {
    await alias("smart", [{ modelId: "m-break" }, { modelId: "m-backup", weight: 0 }]);
    llm.behave("m-break", { kind: "break-after-first" });
    const result = streamText({
      model: mod.gateway.governedModel("smart", caller(builder)),
      prompt: "hi",
      maxRetries: 0,
    });
    const parts: string[] = [];
    let error: unknown;
    for await (const p of result.fullStream) {
      parts.push(p.type);
      if (p.type === "error") error = p.error;
    }
    expect(parts).toContain("text-delta");
    expect(String((error as Error)?.message ?? error)).toMatch(/broke off after the first token/);
    expect(llm.calls("m-backup")).toBe(0);
    const [row] = (await ledgerRows()).slice(-1);
    expect(row).toMatchObject({ status: "error", alias: "smart" });
  });

  it("cools a failing deployment down, then tries it again and recovers", async () => {
    await alias("smart", [{ modelId: "m-flaky" }, { modelId: "m-backup", weight: 0 }]);
    llm.behave("m-flaky", { kind: "status", status: 503 });
    llm.behave("m-backup", { kind: "answer", text: "ok" });
    for (let i = 0; i < 5; i++) expect((await ask("smart")).text).toBe("ok");
    expect(llm.calls("m-flaky")).toBe(3); // after three failures in a row it is left alone
    await new Promise((r) => setTimeout(r, 1_100)); // cooldown (1 s here)
    llm.behave("m-flaky", { kind: "answer", text: "recovered" });
    expect((await ask("smart")).text).toBe("recovered");
    expect((await ask("smart")).text).toBe("recovered");
    expect(llm.calls("m-flaky")).toBe(5);
  });

  it("shares a cooldown with every process: one told by another skips the deployment, and its own is told to the others", async () => {
    if (!process.env.DATABASE_URL) return; // one process on the embedded database
    const { Client } = await import("pg");
    const other = new Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await alias("shared", [{ modelId: "m-told" }, { modelId: "m-backup", weight: 0 }]);
      llm.behave("m-told", { kind: "answer", text: "should not be asked" });
      llm.behave("m-backup", { kind: "answer", text: "backup" });
      const row = await (await mod.db.db()).modelDeployment.findFirstOrThrow({ where: { modelId: "m-told" } });
      // Another process found m-told failing and cools it down for a second.
      await other.query("SELECT pg_notify('flowdeck_gateway_cooldowns', $1)", [
        JSON.stringify({ deploymentId: row.id, seconds: 1, from: "another" }),
      ]);
      await new Promise((r) => setTimeout(r, 200));
      expect((await ask("shared")).text).toBe("backup");
      expect(llm.calls("m-told")).toBe(0);
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await ask("shared")).text).toBe("should not be asked");

      // This process's breaker opens: the others hear of it.
      const heard: string[] = [];
      other.on("notification", (n) => heard.push(n.payload ?? ""));
      await other.query("LISTEN flowdeck_gateway_cooldowns");
      await alias("failing", [{ modelId: "m-down" }, { modelId: "m-backup", weight: 0 }]);
      llm.behave("m-down", { kind: "status", status: 503 });
      for (let i = 0; i < 3; i++) await ask("failing");
      const down = await (await mod.db.db()).modelDeployment.findFirstOrThrow({ where: { modelId: "m-down" } });
      await expect.poll(() => heard.map((h) => JSON.parse(h).deploymentId)).toContain(down.id);
    } finally {
      await other.end();
    }
  });

  it("refuses a call over budget before it reaches the provider, saying which budget", async () => {
    await alias("fast", [{ modelId: "m-ok" }]);
    await mod.admin.saveLimits(admin, {
      userRpm: null,
      userTpm: null,
      workspaceRpm: null,
      workspaceTpm: null,
      workspaceBudgetUsd: null,
      userBudgetUsd: 5,
      budgetPeriod: "DAY",
    });
    await expect(ask("fast", builder, { maxOutputTokens: 10 })).rejects.toThrow(
      /Budget reached: your budget is \$5\.00 per day/,
    );
    expect(llm.calls()).toBe(0);
    const [row] = (await ledgerRows()).slice(-1);
    expect(row).toMatchObject({ status: "refused" });
  });

  it("20 concurrent calls against a cap that allows 10: exactly 10 go out, and spend never passes the cap", async () => {
    await alias("fast", [{ modelId: "m-ok" }]);
    llm.behave("m-ok", { kind: "answer", text: "x", delayMs: 50, usage: { prompt: 5, completion: 2 } });
    // Each call may cost up to 2 output tokens = $2; the workspace cap of $20 allows 10.
    await mod.admin.saveLimits(admin, {
      userRpm: null,
      userTpm: null,
      workspaceRpm: null,
      workspaceTpm: null,
      workspaceBudgetUsd: 20,
      userBudgetUsd: null,
      budgetPeriod: "MONTH",
    });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => ask("fast", builder, { maxOutputTokens: 2 })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(10);
    expect(
      results
        .filter((r) => r.status === "rejected")
        .every((r) => /Budget reached/.test(String((r as PromiseRejectedResult).reason))),
    ).toBe(true);
    expect(llm.calls("m-ok")).toBe(10);
    await new Promise((r) => setTimeout(r, 100)); // settlements are written off the hot path
    const limits = await mod.admin.getLimits(admin);
    expect(limits.spent.workspaceUsd).toBe(20);
  });

  it("sends the model's output limit to the provider, and cuts off a provider that ignores it, recording what came", async () => {
    await alias("capped", [{ modelId: "m-long" }], { maxOutputTokens: 5 });
    llm.behave("m-long", { kind: "answer", text: "word ".repeat(40).trim() });
    const result = streamText({
      model: mod.gateway.governedModel("capped", caller(builder)),
      prompt: "go",
      maxRetries: 0,
    });
    const text = await result.text;
    expect(llm.requests.at(-1)?.max_tokens).toBe(5);
    expect(text.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(5);
    expect(await result.finishReason).toBe("length");
    const [row] = (await ledgerRows()).slice(-1);
    expect(row).toMatchObject({ alias: "capped", status: "ok" });
    expect(row!.outputTokens).toBeGreaterThan(0);
    expect(row!.outputTokens).toBeLessThanOrEqual(5);
  });

  it("lets a provider that stops exactly at the output limit finish, and charges the usage it reports", async () => {
    await alias("fast", [{ modelId: "m-exact" }]);
    llm.behave("m-exact", {
      kind: "answer",
      text: "one two three four",
      honourMaxTokens: true,
      usage: { prompt: 500, completion: 3 },
    });
    const result = await ask("fast", builder, { maxOutputTokens: 3 });
    expect(result.text).toBe("one two three");
    expect(result.usage).toMatchObject({ inputTokens: 500, outputTokens: 3 });
    expect(result.finishReason).not.toBe("length");
    const [row] = (await ledgerRows()).slice(-1);
    expect(row).toMatchObject({ inputTokens: 500, outputTokens: 3 });
  });

  it("cuts off a non-streamed call too (answered from the provider's stream), and records what came", async () => {
    await alias("capped", [{ modelId: "m-long" }], { maxOutputTokens: 5 });
    llm.behave("m-long", { kind: "answer", text: "word ".repeat(40).trim() });
    const result = await ask("capped");
    expect(llm.requests.at(-1)?.max_tokens).toBe(5);
    // Five tokens of "word word word …": four words and a space, or five words.
    expect(result.text).toMatch(/^word word word word ?(word)?$/);
    expect(result.finishReason).toBe("length");
    const [row] = (await ledgerRows()).slice(-1);
    expect(row).toMatchObject({ alias: "capped", status: "ok", outputTokens: 5 });
  });

  it("answers non-streamed tool calls and reports the provider's usage", async () => {
    await alias("tools", [{ modelId: "m-tool" }]);
    llm.behave("m-tool", { kind: "tool", name: "lookup", arguments: { q: "x" } });
    const result = await mod.gateway.governedModel("tools", caller(builder)).doGenerate({
      prompt: [{ role: "user", content: [{ type: "text", text: "look it up" }] }],
      tools: [
        { type: "function", name: "lookup", inputSchema: { type: "object", properties: { q: { type: "string" } } } },
      ],
    });
    expect(result.content).toEqual([
      expect.objectContaining({ type: "tool-call", toolName: "lookup", input: '{"q":"x"}' }),
    ]);
    expect(result.finishReason.unified).toBe("tool-calls");
    expect(result.usage.outputTokens.total).toBe(5);
  });

  it("20 concurrent streams with no limit of their own, to a provider that ignores the model's: spend stays within the cap", async () => {
    // $1 per output token and an output limit of 5: each call reserves $5; a cap of $25 admits 5.
    await alias("capped", [{ modelId: "m-long" }], { maxOutputTokens: 5 });
    llm.behave("m-long", { kind: "answer", text: "word ".repeat(40).trim(), chunkDelayMs: 5 });
    await mod.admin.saveLimits(admin, {
      userRpm: null,
      userTpm: null,
      workspaceRpm: null,
      workspaceTpm: null,
      workspaceBudgetUsd: 25,
      userBudgetUsd: null,
      budgetPeriod: "MONTH",
    });
    await mod.ledger.flushLedger();
    await (await mod.db.db()).usageRecord.deleteMany(); // this test reads the ledger alone
    await Promise.allSettled(
      Array.from({ length: 20 }, async () => {
        const r = streamText({
          model: mod.gateway.governedModel("capped", caller(builder)),
          prompt: "go",
          maxRetries: 0,
          onError: () => {},
        });
        return r.text;
      }),
    );
    const rows = (await ledgerRows()).filter((r) => r.alias === "capped");
    // At least the 5 the cap covers went out (more only if answers cost less than reserved).
    expect(rows.filter((r) => r.status === "ok").length).toBeGreaterThanOrEqual(5);
    expect(rows.filter((r) => r.status === "refused").length).toBeGreaterThan(0);
    expect(rows.reduce((sum, r) => sum + r.costUsd, 0)).toBeLessThanOrEqual(25);
    await new Promise((r) => setTimeout(r, 200)); // settlements are written off the hot path
    expect((await mod.admin.getLimits(admin)).spent.workspaceUsd).toBeLessThanOrEqual(25);
  });

  it("refuses a model the person may not use, naming the model and the rule", async () => {
    await alias("premium", [{ modelId: "m-ok" }], { allowedRoles: ["ADMIN"] });
    await expect(ask("premium", builder)).rejects.toThrow(
      "You may not use the model “premium”: it is open to the role admin, and you are builder.",
    );
    expect(llm.calls()).toBe(0);
    expect((await ask("premium", admin)).text).toMatch(/Echo/);
    expect((await mod.gateway.allowedAliases(caller(builder))).map((a) => a.name)).toEqual(["demo"]);
    await expect(ask("nonexistent", builder)).rejects.toThrow(/There is no model “nonexistent”/);
  });

  it("limits requests per minute per person, with the seconds to wait", async () => {
    await alias("fast", [{ modelId: "m-ok" }]);
    await mod.admin.saveLimits(admin, {
      userRpm: 2,
      userTpm: null,
      workspaceRpm: null,
      workspaceTpm: null,
      workspaceBudgetUsd: null,
      userBudgetUsd: null,
      budgetPeriod: "MONTH",
    });
    await ask("fast");
    await ask("fast");
    const error = await ask("fast").catch((e) => e);
    expect(String(error.message)).toMatch(
      /Rate limit reached: your requests per minute \(2 per minute\)\. Try again in \d+ s/,
    );
    expect(llm.calls()).toBe(2);
    expect((await ask("fast", admin)).text).toMatch(/Echo/); // another person has their own count
  });

  it("checks limits and budget together: a call past a limit reserves nothing, and calls let through are charged", async () => {
    await alias("fast", [{ modelId: "m-ok" }]);
    await mod.admin.saveLimits(admin, {
      userRpm: 2,
      userTpm: 1_000_000,
      workspaceRpm: null,
      workspaceTpm: null,
      workspaceBudgetUsd: null,
      userBudgetUsd: 1000,
      budgetPeriod: "DAY",
    });
    const answers = [
      await ask("fast", builder, { maxOutputTokens: 50 }),
      await ask("fast", builder, { maxOutputTokens: 50 }),
    ];
    await expect(ask("fast", builder, { maxOutputTokens: 50 })).rejects.toThrow(/Rate limit reached: your requests/);
    const cost = answers.reduce((sum, a) => sum + (a.usage.outputTokens ?? 0), 0); // $1 per output token
    const budget = async () =>
      (await (await mod.db.db()).budgetUsage.findMany({ where: { key: { startsWith: "user:" } } })).map((b) => ({
        spent: b.spentUsd,
        reserved: b.reservedUsd,
      }));
    await expect.poll(budget).toEqual([{ spent: cost, reserved: 0 }]);
    expect(llm.calls()).toBe(2);
    // The tokens per minute were counted with each call's estimate, then corrected to what it used.
    const used = answers.reduce((sum, a) => sum + (a.usage.inputTokens ?? 0) + (a.usage.outputTokens ?? 0), 0);
    const prisma = await mod.db.db();
    const key = `gw-user-tpm:${builder.workspace.id}:${builder.user.id}`;
    const counted = async () =>
      process.env.DATABASE_URL
        ? (await prisma.gatewayRateLimit.findUnique({ where: { key } }))?.points
        : (await prisma.rateLimiterFlexible.findUnique({ where: { key } }))?.points;
    await expect.poll(counted).toBe(used);
  });

  it("20 concurrent calls of two people with limits and budgets on: every one answered, nothing left reserved", async () => {
    await alias("fast", [{ modelId: "m-ok" }]);
    await mod.admin.saveLimits(admin, {
      userRpm: 1000,
      userTpm: 1_000_000,
      workspaceRpm: 1000,
      workspaceTpm: 1_000_000,
      workspaceBudgetUsd: 100_000,
      userBudgetUsd: 100_000,
      budgetPeriod: "DAY",
    });
    // Each settles in the background while the next ones are admitted: the same rows, both ways.
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => ask("fast", i % 2 ? admin : builder, { maxOutputTokens: 20 })),
      );
      expect(answers.every((a) => /Echo/.test(a.text))).toBe(true);
    }
    const reserved = async () =>
      (await (await mod.db.db()).budgetUsage.findMany()).reduce((sum, b) => sum + b.reservedUsd, 0);
    await expect.poll(reserved).toBeLessThan(1e-6);
  });

  it("answers identical temperature-0 requests from the cache when the alias opts in", async () => {
    await alias("cached", [{ modelId: "m-ok" }], { cacheTtlSeconds: 60 });
    llm.behave("m-ok", { kind: "answer", text: "expensive answer" });
    expect((await ask("cached", builder, { temperature: 0 })).text).toBe("expensive answer");
    await new Promise((r) => setTimeout(r, 50));
    expect((await ask("cached", builder, { temperature: 0 })).text).toBe("expensive answer");
    expect(llm.calls("m-ok")).toBe(1);
    await ask("cached", builder, { temperature: 0.7 }); // not cacheable
    expect(llm.calls("m-ok")).toBe(2);
    const rows = (await ledgerRows()).filter((r) => r.alias === "cached");
    expect(rows.map((r) => r.cacheHit)).toEqual([false, true, false]);
  });

  it("keeps provider keys sealed at rest and out of every listing", async () => {
    const prisma = await mod.db.db();
    const row = await prisma.modelProvider.findUniqueOrThrow({ where: { id: providerId } });
    expect(row.apiKeySealed).not.toContain("sk-test-secret-1234");
    const listed = JSON.stringify(await mod.admin.listProviders(admin));
    expect(listed).not.toContain("sk-test-secret-1234");
    expect(listed).toContain("…1234");
  });
});
