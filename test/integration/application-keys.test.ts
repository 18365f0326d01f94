import { expect, it } from "vitest";
import { gatewayWorld } from "../support/gateway-world";

/**
 * Application keys through the real gateway's OpenAI-compatible door to a loopback provider: a
 * key the workspace owns, with its own models, budget and expiry, refused past each; its calls
 * shown in usage by key; revoked or expired, it stops working.
 */
const world = gatewayWorld("application-keys");

it("an application key calls only its models, within its own budget, until it expires or is revoked", async () => {
  await world.alias("chat", [{ modelId: "chat-model" }]);
  await world.alias("other", [{ modelId: "other-model" }]);
  world.llm.behave("chat-model", { kind: "answer", text: "ok", usage: { prompt: 1, completion: 1 } });
  const keys = await import("../../lib/auth/application-keys");
  const { viewerFromApiKey, apiKeysChanged, listApiKeys } = await import("../../lib/auth/api-keys");
  const door = await import("../../lib/gateway/openai-compat");
  const made = await keys.createApplicationKey(world.admin, {
    name: "Support bot",
    role: "BUILDER",
    models: ["chat"],
    budgetUsd: 2,
    budgetPeriod: "DAY",
  });
  expect(made.key).toMatch(/^fdk_/);
  expect(await listApiKeys(world.admin)).toEqual([]); // not a personal key
  const viewer = (await viewerFromApiKey(made.key))!;
  expect(viewer).toMatchObject({ role: "BUILDER", user: { name: "Application key “Support bot”" } });
  const ask = async (model: string) => {
    const res = await door.chatCompletion(
      viewer,
      door.chatCompletionSchema.parse({ model, max_tokens: 1, messages: [{ role: "user", content: "hi" }] }),
      new AbortController().signal,
    );
    return { status: res.status, body: (await res.json()) as { error?: { message: string } } };
  };
  expect((await ask("other")).body.error?.message).toMatch(
    /The application key “Support bot” may not use the model “other”/,
  );
  expect((await ask("chat")).status).toBe(200);
  expect((await ask("chat")).status).toBe(200);
  const over = await ask("chat");
  expect(over.status).toBe(402);
  expect(over.body.error?.message).toMatch(/the application key “Support bot”'s budget is \$2\.00 per day/);
  expect(world.llm.calls()).toBe(2);

  // Its use is recorded, as a personal key's is.
  await expect
    .poll(async () => (await (await world.mod.db.db()).apiKey.findUniqueOrThrow({ where: { id: made.id } })).lastUsedAt)
    .not.toBeNull();
  const { usageReport } = await import("../../lib/gateway/usage");
  expect((await usageReport(world.admin, 1)).byKey).toEqual([
    { apiKeyId: made.id, name: "Support bot (application key)", calls: 4, costUsd: 2, tokens: 4 },
  ]);

  // Expired, it stops working; so does a revoked one.
  const prisma = await world.mod.db.db();
  await prisma.apiKey.update({ where: { id: made.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  await apiKeysChanged();
  expect(await viewerFromApiKey(made.key)).toBeNull();
  await expect(
    keys.createApplicationKey(world.admin, { name: "Late", expiresAt: new Date(Date.now() - 60_000).toISOString() }),
  ).rejects.toThrow(/Pick a time in the future/);
  const second = await keys.createApplicationKey(world.admin, { name: "Nightly job" });
  expect(await viewerFromApiKey(second.key)).not.toBeNull();
  await keys.revokeApplicationKey(world.admin, second.id);
  expect(await viewerFromApiKey(second.key)).toBeNull();
  expect((await keys.listApplicationKeys(world.admin)).map((k) => k.name)).toEqual(["Support bot"]);
});

it("a run an application key starts counts against the key: its models, its budget, its name in usage", async () => {
  await world.alias("chat", [{ modelId: "chat-model" }], { maxOutputTokens: 1 });
  await world.alias("other", [{ modelId: "other-model" }], { maxOutputTokens: 1 });
  world.llm.behave("chat-model", { kind: "answer", text: "ok", usage: { prompt: 1, completion: 1 } });
  const keys = await import("../../lib/auth/application-keys");
  const { viewerFromApiKey } = await import("../../lib/auth/api-keys");
  const { createWorkflow } = await import("../../lib/workflows/workflows");
  const { startRun } = await import("../../lib/runs/start-run");
  const { awaitRun } = await import("../../lib/runs/await-run");
  const { startRunWorker } = await import("../../lib/execution/run-worker");
  const worker = await startRunWorker({ concurrency: 2 });
  try {
    const made = await keys.createApplicationKey(world.admin, {
      name: "Runner",
      role: "BUILDER",
      models: ["chat"],
      budgetUsd: 2,
      budgetPeriod: "DAY",
    });
    const viewer = (await viewerFromApiKey(made.key))!;
    const graph = (model: string) => ({
      nodes: [
        { id: "start", kind: "start" as const, label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
        {
          id: "ask",
          kind: "agent" as const,
          label: "Ask",
          position: { x: 260, y: 0 },
          config: { model, instructions: "Hi" },
        },
        {
          id: "out",
          kind: "output" as const,
          label: "Out",
          position: { x: 520, y: 0 },
          config: { value: "{{nodes.ask.output.text}}" },
        },
      ],
      edges: [
        { id: "e1", source: "start", target: "ask" },
        { id: "e2", source: "ask", target: "out" },
      ],
    });
    const chat = await createWorkflow(world.admin.workspace.id, world.admin.user.id, {
      name: "Key chat",
      description: "",
      graph: graph("chat"),
    });
    const other = await createWorkflow(world.admin.workspace.id, world.admin.user.id, {
      name: "Key other",
      description: "",
      graph: graph("other"),
    });
    const run = async (workflowId: string) => {
      const { id } = await startRun(viewer, workflowId, { mode: "draft", input: {} });
      return awaitRun(id, 30_000);
    };
    // $1 a run, $2 for the key: two runs, then the key's budget stops the third.
    expect((await run(chat.id)).status).toBe("COMPLETED");
    expect((await run(chat.id)).status).toBe("COMPLETED");
    const third = await run(chat.id);
    expect(third.status).toBe("FAILED");
    expect(third.error).toMatch(/the application key “Runner”'s budget is \$2\.00 per day/);
    // A model the key may not use is refused in its runs too, though the person who made it may.
    const refused = await run(other.id);
    expect(refused.status).toBe("FAILED");
    expect(refused.error).toMatch(/The application key “Runner” may not use the model “other”/);
    expect(world.llm.calls("chat-model")).toBe(2);
    // An admin raises the key's budget and lets it use "other": its next runs go through.
    await keys.updateApplicationKey(world.admin, made.id, {
      name: "Runner",
      role: "BUILDER",
      models: ["chat", "other"],
      budgetUsd: 4,
      budgetPeriod: "DAY",
    });
    const raised = (await viewerFromApiKey(made.key))!;
    expect(raised.applicationKey).toMatchObject({ models: ["chat", "other"], budgetUsd: 4 });
    const { id: again } = await startRun(raised, chat.id, { mode: "draft", input: {} });
    expect((await awaitRun(again, 30_000)).status).toBe("COMPLETED");
    const audit = await (
      await world.mod.db.db()
    ).auditLog.findFirstOrThrow({
      where: { action: "application_key.update", targetId: made.id },
    });
    expect(audit.before).toMatchObject({ budgetUsd: 2, models: ["chat"] });
    const { usageReport } = await import("../../lib/gateway/usage");
    await world.mod.ledger.flushLedger();
    expect((await usageReport(world.admin, 1)).byKey).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ apiKeyId: made.id, name: "Runner (application key)", costUsd: 3 }),
      ]),
    );
  } finally {
    await worker.stop();
    const { stopQueue } = await import("../../lib/platform/queues");
    await stopQueue();
  }
});
