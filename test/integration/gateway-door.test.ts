import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";
import { seedWorkspace, pointAtScratchDatabase } from "../support/process-database";
import type { Viewer } from "../../lib/auth/session";

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
  [admin] = await seedWorkspace(await mod.db.db(), "acme", [{ email: "ada@example.com", role: "ADMIN" }]);
  llm = await startFakeLlmServer();
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
});

const complete = (body: Record<string, unknown>, signal = new AbortController().signal) =>
  mod.door.chatCompletion(admin, mod.door.chatCompletionSchema.parse(body), signal);
const lastRow = async () => {
  await mod.ledger.flushLedger();
  return (await mod.db.db()).usageRecord.findFirst({ orderBy: { at: "desc" } });
};
const dataLines = async (res: Response) =>
  (await res.text())
    .split("\n")
    .filter((l) => l.startsWith("data: "))
    .map((l) => l.slice(6));

describe("the gateway's OpenAI-compatible door, straight to an OpenAI-shaped provider", () => {
  it("fails over before the first token, sends the provider the call's fields and output limit only, and answers as the alias", async () => {
    const res = await complete({
      model: "chat",
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 30,
      n: 3,
      temperature: 0.2,
    });
    expect(res.status).toBe(200);
    const answer = await res.json();
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
    expect(llm.keysSeen.has("sk-door-secret")).toBe(true);
    expect(await lastRow()).toMatchObject({ alias: "chat", modelId: "up", status: "ok", outputTokens: 4, costUsd: 4 });
  });

  it("streams the provider's chunks as they come, with usage at the end when asked for", async () => {
    const res = await complete({
      model: "chat",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const lines = await dataLines(res);
    expect(lines.at(-1)).toBe("[DONE]");
    const chunks = lines.slice(0, -1).map((l) => JSON.parse(l));
    expect(chunks.every((c) => c.model === "chat" && c.id === chunks[0].id)).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("")).toBe("Hello from the backup.");
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: 11 } });
    expect(chunks.filter((c) => c.usage)).toHaveLength(1);
  });

  it("cuts off a provider that ignores the output limit, streamed or not, and charges what came", async () => {
    const whole = await (await complete({ model: "short", messages: [{ role: "user", content: "talk" }] })).json();
    expect(whole.choices[0].finish_reason).toBe("length");
    expect(whole.choices[0].message.content.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(5);
    expect(await lastRow()).toMatchObject({ alias: "short", status: "ok", outputTokens: 5, costUsd: 5 });

    const lines = await dataLines(
      await complete({ model: "short", messages: [{ role: "user", content: "talk" }], stream: true }),
    );
    const chunks = lines.filter((l) => l !== "[DONE]").map((l) => JSON.parse(l));
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");
    expect(text.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(5);
    expect(chunks.at(-1).choices[0].finish_reason).toBe("length");
    expect(lines.at(-1)).toBe("[DONE]");
    expect(await lastRow()).toMatchObject({ alias: "short", outputTokens: 5 });
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
    const lines = await dataLines(
      await complete({ model: "broken", messages: [{ role: "user", content: "hi" }], stream: true }),
    );
    expect(JSON.parse(lines[0]!).choices[0].delta.content).toBe("first chunk ");
    expect(JSON.parse(lines.at(-1)!).error.message).toMatch(/The model “broken” broke off after the first token/);
    expect(llm.calls("breaks")).toBe(1);
    expect(await lastRow()).toMatchObject({ alias: "broken", status: "error" });
  });

  it("answers a provider's refusal on every deployment in OpenAI's error shape", async () => {
    llm.behave("up", { kind: "status", status: 500 });
    const res = await complete({ model: "chat", messages: [{ role: "user", content: "hi" }] });
    expect(res.status).toBe(502);
    expect((await res.json()).error).toMatchObject({ code: "upstream", type: "upstream_error" });
    expect(await lastRow()).toMatchObject({ alias: "chat", status: "error" });
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
