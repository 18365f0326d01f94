import { streamText } from "ai";
import { describe, expect, it } from "vitest";
import { gatewayWorld } from "../support/gateway-world";

/**
 * The gateway pipeline against a real OpenAI-compatible server on loopback (with faults on
 * demand) and a real database: routing, failover, cooldown, output limits, access, cache,
 * ledger. Limits and budgets: gateway-limits.test.ts.
 */
const world = gatewayWorld("gateway");
const { alias, ask, caller, ledgerRows } = world;

describe("gateway pipeline", () => {
  it("sends a call to the alias's deployment and writes one ledger row with tokens, cost and timings", async () => {
    await alias("fast", [{ modelId: "m-ok" }]);
    world.llm.behave("m-ok", { kind: "answer", text: "hi from the model", usage: { prompt: 7, completion: 3 } });
    const result = await ask("fast");
    expect(result.text).toBe("hi from the model");
    expect(world.llm.keysSeen.has("sk-test-secret-1234")).toBe(true);
    const [row] = (await ledgerRows()).slice(-1);
    expect(row).toMatchObject({
      alias: "fast",
      modelId: "m-ok",
      inputTokens: 7,
      outputTokens: 3,
      costUsd: 3,
      status: "ok",
      cacheHit: false,
      userId: world.builder.user.id,
    });
    expect(row!.ttftMs).not.toBeNull();
  });

  it("fails over on 429 and on 500 to the next deployment", async () => {
    for (const status of [429, 500]) {
      world.llm.reset();
      await (await world.mod.db.db()).modelAlias.deleteMany();
      await alias("smart", [{ modelId: `m-${status}` }, { modelId: "m-backup", weight: 0 }]);
      world.llm.behave(`m-${status}`, { kind: "status", status });
      world.llm.behave("m-backup", { kind: "answer", text: "backup answered" });
      expect((await ask("smart")).text).toBe("backup answered");
      expect(world.llm.calls(`m-${status}`)).toBe(1);
      expect(world.llm.calls("m-backup")).toBe(1);
    }
  });

  it("fails over when the first token does not come in time, and streams from the next deployment", async () => {
    await alias("smart", [
      { modelId: "m-hang", timeoutSeconds: 1 },
      { modelId: "m-backup", weight: 0 },
    ]);
    world.llm.behave("m-hang", { kind: "hang" });
    world.llm.behave("m-backup", { kind: "answer", text: "streamed from the backup" });
    const result = streamText({
      model: world.mod.gateway.governedModel("smart", caller(world.builder)),
      prompt: "hi",
      maxRetries: 0,
    });
    expect(await result.text).toBe("streamed from the backup");
    expect(world.llm.calls("m-hang")).toBe(1);
  });

  it("reports an error after the first streamed token as an error, and does not fail over", async () => {
    await alias("smart", [{ modelId: "m-break" }, { modelId: "m-backup", weight: 0 }]);
    world.llm.behave("m-break", { kind: "break-after-first" });
    const result = streamText({
      model: world.mod.gateway.governedModel("smart", caller(world.builder)),
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
    expect(world.llm.calls("m-backup")).toBe(0);
    const [row] = (await ledgerRows()).slice(-1);
    expect(row).toMatchObject({ status: "error", alias: "smart" });
  });

  it("cools a failing deployment down, then tries it again and recovers", async () => {
    await alias("smart", [{ modelId: "m-flaky" }, { modelId: "m-backup", weight: 0 }]);
    world.llm.behave("m-flaky", { kind: "status", status: 503 });
    world.llm.behave("m-backup", { kind: "answer", text: "ok" });
    for (let i = 0; i < 5; i++) expect((await ask("smart")).text).toBe("ok");
    expect(world.llm.calls("m-flaky")).toBe(3); // after three failures in a row it is left alone
    await new Promise((r) => setTimeout(r, 1_100)); // cooldown (1 s here)
    world.llm.behave("m-flaky", { kind: "answer", text: "recovered" });
    expect((await ask("smart")).text).toBe("recovered");
    expect((await ask("smart")).text).toBe("recovered");
    expect(world.llm.calls("m-flaky")).toBe(5);
  });

  it("shares a cooldown with every process: one told by another skips the deployment, and its own is told to the others", async () => {
    if (!process.env.DATABASE_URL) return; // one process on the embedded database
    const { Client } = await import("pg");
    const other = new Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await alias("shared", [{ modelId: "m-told" }, { modelId: "m-backup", weight: 0 }]);
      world.llm.behave("m-told", { kind: "answer", text: "should not be asked" });
      world.llm.behave("m-backup", { kind: "answer", text: "backup" });
      const row = await (await world.mod.db.db()).modelDeployment.findFirstOrThrow({ where: { modelId: "m-told" } });
      // Another process found m-told failing and cools it down for a second.
      await other.query("SELECT pg_notify('flowdeck_gateway_cooldowns', $1)", [
        JSON.stringify({ deploymentId: row.id, seconds: 1, from: "another" }),
      ]);
      await new Promise((r) => setTimeout(r, 200));
      expect((await ask("shared")).text).toBe("backup");
      expect(world.llm.calls("m-told")).toBe(0);
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await ask("shared")).text).toBe("should not be asked");

      // This process's breaker opens: the others hear of it.
      const heard: string[] = [];
      other.on("notification", (n) => heard.push(n.payload ?? ""));
      await other.query("LISTEN flowdeck_gateway_cooldowns");
      await alias("failing", [{ modelId: "m-down" }, { modelId: "m-backup", weight: 0 }]);
      world.llm.behave("m-down", { kind: "status", status: 503 });
      for (let i = 0; i < 3; i++) await ask("failing");
      const down = await (await world.mod.db.db()).modelDeployment.findFirstOrThrow({ where: { modelId: "m-down" } });
      await expect.poll(() => heard.map((h) => JSON.parse(h).deploymentId)).toContain(down.id);
    } finally {
      await other.end();
    }
  });

  it("sends the model's output limit to the provider, and cuts off a provider that ignores it, recording what came", async () => {
    await alias("capped", [{ modelId: "m-long" }], { maxOutputTokens: 5 });
    world.llm.behave("m-long", { kind: "answer", text: "word ".repeat(40).trim() });
    const result = streamText({
      model: world.mod.gateway.governedModel("capped", caller(world.builder)),
      prompt: "go",
      maxRetries: 0,
    });
    const text = await result.text;
    expect(world.llm.requests.at(-1)?.max_tokens).toBe(5);
    expect(text.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(5);
    expect(await result.finishReason).toBe("length");
    const [row] = (await ledgerRows()).slice(-1);
    expect(row).toMatchObject({ alias: "capped", status: "ok" });
    expect(row!.outputTokens).toBeGreaterThan(0);
    expect(row!.outputTokens).toBeLessThanOrEqual(5);
  });

  it("lets a provider that stops exactly at the output limit finish, and charges the usage it reports", async () => {
    await alias("fast", [{ modelId: "m-exact" }]);
    world.llm.behave("m-exact", {
      kind: "answer",
      text: "one two three four",
      honourMaxTokens: true,
      usage: { prompt: 500, completion: 3 },
    });
    const result = await ask("fast", world.builder, { maxOutputTokens: 3 });
    expect(result.text).toBe("one two three");
    expect(result.usage).toMatchObject({ inputTokens: 500, outputTokens: 3 });
    expect(result.finishReason).not.toBe("length");
    const [row] = (await ledgerRows()).slice(-1);
    expect(row).toMatchObject({ inputTokens: 500, outputTokens: 3 });
  });

  it("cuts off a non-streamed call too (answered from the provider's stream), and records what came", async () => {
    await alias("capped", [{ modelId: "m-long" }], { maxOutputTokens: 5 });
    world.llm.behave("m-long", { kind: "answer", text: "word ".repeat(40).trim() });
    const result = await ask("capped");
    expect(world.llm.requests.at(-1)?.max_tokens).toBe(5);
    // Five tokens of "word word word …": four words and a space, or five words.
    expect(result.text).toMatch(/^word word word word ?(word)?$/);
    expect(result.finishReason).toBe("length");
    const [row] = (await ledgerRows()).slice(-1);
    expect(row).toMatchObject({ alias: "capped", status: "ok", outputTokens: 5 });
  });

  it("answers non-streamed tool calls and reports the provider's usage", async () => {
    await alias("tools", [{ modelId: "m-tool" }]);
    world.llm.behave("m-tool", { kind: "tool", name: "lookup", arguments: { q: "x" } });
    const result = await world.mod.gateway.governedModel("tools", caller(world.builder)).doGenerate({
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

  it("refuses a model the person may not use, naming the model and the rule", async () => {
    await alias("premium", [{ modelId: "m-ok" }], { allowedRoles: ["ADMIN"] });
    await expect(ask("premium", world.builder)).rejects.toThrow(
      "You may not use the model “premium”: it is open to the role admin, and you are builder.",
    );
    expect(world.llm.calls()).toBe(0);
    expect((await ask("premium", world.admin)).text).toMatch(/Echo/);
    expect((await world.mod.gateway.allowedAliases(caller(world.builder))).map((a) => a.name)).toEqual(["demo"]);
    await expect(ask("nonexistent", world.builder)).rejects.toThrow(/There is no model “nonexistent”/);
  });

  it("answers identical temperature-0 requests from the cache when the alias opts in", async () => {
    await alias("cached", [{ modelId: "m-ok" }], { cacheTtlSeconds: 60 });
    world.llm.behave("m-ok", { kind: "answer", text: "expensive answer" });
    expect((await ask("cached", world.builder, { temperature: 0 })).text).toBe("expensive answer");
    await new Promise((r) => setTimeout(r, 50));
    expect((await ask("cached", world.builder, { temperature: 0 })).text).toBe("expensive answer");
    expect(world.llm.calls("m-ok")).toBe(1);
    await ask("cached", world.builder, { temperature: 0.7 }); // not cacheable
    expect(world.llm.calls("m-ok")).toBe(2);
    const rows = (await ledgerRows()).filter((r) => r.alias === "cached");
    expect(rows.map((r) => r.cacheHit)).toEqual([false, true, false]);
  });

  it("keeps provider keys sealed at rest and out of every listing", async () => {
    const prisma = await world.mod.db.db();
    const row = await prisma.modelProvider.findUniqueOrThrow({ where: { id: world.providerId } });
    expect(row.apiKeySealed).not.toContain("sk-test-secret-1234");
    const listed = JSON.stringify(await world.mod.admin.listProviders(world.admin));
    expect(listed).not.toContain("sk-test-secret-1234");
    expect(listed).toContain("…1234");
  });
});
