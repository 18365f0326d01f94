import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";
import { seedWorkspace, pointAtScratchDatabase } from "../support/process-database";
import type { Viewer } from "../../lib/auth/session";
import { allowLoopback } from "../support/loopback-destination";

/**
 * A careless provider repeats the key it was sent in its errors (a 401's body, an error event
 * after the first chunk): the gateway takes it out before anything goes on to the caller (the
 * OpenAI-compatible door, whole or streamed, and an agent's call through the AI SDK) or into the
 * ledger (lib/gateway/errors.ts, `withoutProviderKey`). Against a real server on loopback.
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
  scratch = await pointAtScratchDatabase("gatewaykey");
  mod = {
    door: await import("../../lib/gateway/openai-compat"),
    admin: await import("../../lib/gateway/admin"),
    ledger: await import("../../lib/gateway/ledger"),
    db: await import("../../lib/db/client"),
  };
  [admin] = await seedWorkspace(await mod.db.db(), "acme", [
    { email: "ada@example.com", role: "ADMIN", installationOwner: true },
  ]);
  await (await mod.db.db()).gatewaySettings.create({ data: { workspaceId: admin.workspace.id, ownProviders: true } });
  llm = await startFakeLlmServer();
  llm.behave("echoes-key", { kind: "status", status: 401, message: "bad credentials", echoAuthorization: true });
  llm.behave("errs-after-first", { kind: "error-after-first" });
  await allowLoopback(admin);
  const { id: providerId } = await mod.admin.saveProvider(admin, {
    name: "Loopback",
    kind: "OPENAI_COMPATIBLE",
    baseUrl: llm.baseUrl,
    apiKey: "sk-door-secret",
  });
  for (const [name, modelId] of [
    ["echoes", "echoes-key"],
    ["echoes-later", "errs-after-first"],
  ] as const)
    await mod.admin.saveAlias(admin, {
      name,
      description: "",
      inputPricePerMTok: 0,
      outputPricePerMTok: 0,
      contextWindow: 128_000,
      maxOutputTokens: 1000,
      supportsTools: true,
      supportsStructured: true,
      allowedRoles: ["ADMIN"],
      allowedUserIds: [],
      cacheTtlSeconds: 0,
      deployments: [{ providerId, modelId, weight: 1, rpmLimit: null, tpmLimit: null, timeoutSeconds: 30 }],
    });
});

afterAll(async () => {
  await llm?.close();
  await scratch?.done();
});

const complete = (body: Record<string, unknown>) =>
  mod.door.chatCompletion(admin, mod.door.chatCompletionSchema.parse(body), new AbortController().signal);

/** The model as an agent step of a run calls it (through the AI SDK's provider). */
async function asAgent(alias: string) {
  const { governedModel } = await import("../../lib/gateway/pipeline");
  return governedModel(alias, {
    workspaceId: admin.workspace.id,
    userId: admin.user.id,
    role: admin.role,
    source: "workflow",
  });
}

describe("a provider that repeats its key in an error", () => {
  it("never passes the key on: not to the caller (whole, streamed or in process), nor into the ledger", async () => {
    // A careless provider answers 401 with the Authorization header it was sent.
    const whole = await complete({ model: "echoes", messages: [{ role: "user", content: "hi" }] });
    const wholeText = await whole.text();
    expect(wholeText).toContain("bad credentials");
    expect(wholeText).toContain("[redacted]");
    expect(wholeText).not.toContain("sk-door-secret");
    const streamed = await complete({ model: "echoes", messages: [{ role: "user", content: "hi" }], stream: true });
    const streamedText = await streamed.text();
    expect(streamedText).toContain("bad credentials");
    expect(streamedText).not.toContain("sk-door-secret");
    // An agent step's call, through the AI SDK's provider.
    const model = await asAgent("echoes");
    const failure = await model
      .doGenerate({ prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }] })
      .then(
        () => null,
        (error: unknown) => error as Error,
      );
    expect(failure?.message).toContain("bad credentials");
    expect(JSON.stringify({ message: failure?.message, stack: failure?.stack, ...failure })).not.toContain(
      "sk-door-secret",
    );
    await mod.ledger.flushLedger();
    const rows = await (await mod.db.db()).usageRecord.findMany({ where: { alias: "echoes" } });
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) {
      expect(row.error).toContain("bad credentials");
      expect(row.error).not.toContain("sk-door-secret");
    }
    expect(llm.keysSeen.has("sk-door-secret")).toBe(true); // the provider did get it
  });

  it("never passes it on from an error after the first token either, streamed through the door or to an agent", async () => {
    const streamed = await complete({
      model: "echoes-later",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    const text = await streamed.text();
    expect(text).toContain("first chunk");
    expect(text).toContain("overloaded");
    expect(text).not.toContain("sk-door-secret");
    const model = await asAgent("echoes-later");
    const { stream } = await model.doStream({ prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }] });
    const parts: unknown[] = [];
    for await (const part of stream as unknown as AsyncIterable<unknown>) parts.push(part);
    const said = JSON.stringify(parts, (_k, v: unknown) =>
      v instanceof Error ? { ...v, text: v.message, stack: v.stack } : v,
    );
    expect(said).toContain("overloaded");
    expect(said).not.toContain("sk-door-secret");
    await mod.ledger.flushLedger();
    const rows = await (await mod.db.db()).usageRecord.findMany({ where: { alias: "echoes-later" } });
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row.error ?? "").not.toContain("sk-door-secret");
  });
});
