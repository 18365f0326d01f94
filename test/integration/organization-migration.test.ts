import { generateText } from "ai";
import { afterAll, expect, it } from "vitest";
import type { Viewer } from "../../lib/auth/session";
import type { WorkflowGraph } from "../../lib/schemas/workflow";
import { startFakeLlmServer, type FakeLlmServer } from "../support/fake-llm-server";
import { pointAtScratchDatabase } from "../support/process-database";
import { migrate, readMigrations } from "../../lib/db/migrate";

/**
 * From per-workspace gateways to the organization's: a database of the schema before the
 * migration, with three workspaces (two of them named alike) that each connected a provider named
 * "Loopback" (keys sealed) and defined a model "fast" (one of them also "fast-acme", the name its
 * "fast" would get, and "smart", for one person), is migrated as the
 * studio does when it opens it. Nothing is lost: the providers and models are the
 * organization's, each workspace reaches its own under the same names through grants with the
 * same people, the sealed keys still open and go to the same servers, a workflow runs as before,
 * and the workspaces may no longer add providers of their own.
 */
let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>>;
let llm: FakeLlmServer;

afterAll(async () => {
  await llm?.close();
  await scratch?.done();
});

const viewer = (workspaceId: string, userId: string, role: Viewer["role"]): Viewer => ({
  user: { id: userId, email: `${userId}@example.com`, name: userId },
  workspaces: [{ id: workspaceId, name: workspaceId, role }],
  workspace: { id: workspaceId, name: workspaceId },
  role,
});

const agentGraph: WorkflowGraph = {
  nodes: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
    {
      id: "ask",
      kind: "agent",
      label: "Ask",
      position: { x: 260, y: 0 },
      config: { model: "fast", instructions: "Say hello" },
    },
    {
      id: "out",
      kind: "output",
      label: "Out",
      position: { x: 520, y: 0 },
      config: { value: "{{nodes.ask.output.text}}" },
    },
  ],
  edges: [
    { id: "e1", source: "start", target: "ask" },
    { id: "e2", source: "ask", target: "out" },
  ],
};

it("moves every workspace's providers and models to the organization, granted back under the same names", async () => {
  scratch = await pointAtScratchDatabase("orgmigrate", {}, { empty: true });
  llm = await startFakeLlmServer();
  const files = await readMigrations();
  const at = files.findIndex((f) => f.name.endsWith("_organization_models"));
  expect(at).toBeGreaterThan(0);
  const s = await scratch.scratch.session();
  await migrate(s.sql, files.slice(0, at));
  const { seal } = await import("../../lib/crypto/secret-box");
  const { derivedKey } = await import("../../lib/config/secrets");
  const sealed = (key: string) => seal(key, derivedKey("provider-keys"));
  await s.sql.query(
    `INSERT INTO "Workspace" (id, name, slug) VALUES ('w1', 'Acme', 'acme'), ('w2', 'Globex', 'globex'), ('w3', 'Acme', 'acme-2')`,
  );
  await s.sql.query(
    `INSERT INTO "User" (id, email, name, "createdAt", "updatedAt", "installationOwner") VALUES
      ('u1', 'u1@example.com', 'u1', now(), now(), true),
      ('u2', 'u2@example.com', 'u2', now(), now(), false),
      ('u3', 'u3@example.com', 'u3', now(), now(), false)`,
  );
  await s.sql.query(
    `INSERT INTO "Membership" (id, "userId", "workspaceId", role) VALUES
      ('m1', 'u1', 'w1', 'ADMIN'), ('m2', 'u2', 'w1', 'REVIEWER'), ('m3', 'u3', 'w2', 'ADMIN')`,
  );
  await s.sql.query(
    `INSERT INTO "ModelProvider" (id, "workspaceId", name, kind, "baseUrl", "apiKeySealed", "apiKeyLastFour") VALUES
      ('p1', 'w1', 'Loopback', 'OPENAI_COMPATIBLE', $1, $2, '…acme'),
      ('p2', 'w2', 'Loopback', 'OPENAI_COMPATIBLE', $1, $3, '…obex'),
      ('p3', 'w3', 'Loopback', 'OPENAI_COMPATIBLE', $1, NULL, NULL)`,
    [llm.baseUrl, sealed("sk-key-of-acme"), sealed("sk-key-of-globex")],
  );
  await s.sql.query(
    `INSERT INTO "ModelAlias" (id, "workspaceId", name, "outputPricePerMTok", "allowedRoles", "allowedUserIds", "updatedAt") VALUES
      ('a1', 'w1', 'fast', 2, '{ADMIN,BUILDER}', '{}', now()),
      ('a2', 'w2', 'fast', 3, '{ADMIN}', '{}', now()),
      ('a3', 'w1', 'smart', 5, '{ADMIN}', '{u2}', now()),
      ('a4', 'w3', 'fast', 1, '{ADMIN}', '{}', now()),
      ('a5', 'w1', 'fast-acme', 1, '{ADMIN}', '{}', now())`,
  );
  await s.sql.query(
    `INSERT INTO "ModelDeployment" (id, "aliasId", "providerId", "modelId") VALUES
      ('d1', 'a1', 'p1', 'acme-model'), ('d2', 'a2', 'p2', 'globex-model'), ('d3', 'a3', 'p1', 'acme-smart'),
      ('d4', 'a4', 'p3', 'acme2-model'), ('d5', 'a5', 'p1', 'acme-model')`,
  );
  await s.sql.query(
    `INSERT INTO "GatewaySettings" ("workspaceId", "workspaceBudgetUsd", "updatedAt") VALUES ('w1', 25, now())`,
  );
  await s.close();
  await scratch.scratch.release();

  // The studio opens the database: the pending migration is applied.
  const { db } = await import("../../lib/db/client");
  const prisma = await db();
  const providers = await prisma.modelProvider.findMany({ orderBy: { id: "asc" } });
  // Names both Acmes' "Loopback (Acme)" and both "fast-acme" would share get a piece of the row's id.
  expect(providers.map((p) => [p.id, p.workspaceId, p.name])).toEqual([
    ["p1", null, expect.stringMatching(/^Loopback \(Acme\) [0-9a-f]{8}$/)],
    ["p2", null, "Loopback (Globex)"],
    ["p3", null, expect.stringMatching(/^Loopback \(Acme\) [0-9a-f]{8}$/)],
  ]);
  const aliases = await prisma.modelAlias.findMany({ orderBy: { id: "asc" }, include: { deployments: true } });
  expect(
    aliases.map((a) => [a.id, a.workspaceId, a.name, a.allowedUserIds, a.deployments.map((d) => d.modelId)]),
  ).toEqual([
    ["a1", null, expect.stringMatching(/^fast-acme-[0-9a-f]{8}$/), [], ["acme-model"]],
    ["a2", null, "fast-globex", [], ["globex-model"]],
    ["a3", null, "smart", [], ["acme-smart"]],
    ["a4", null, "fast-acme-2", [], ["acme2-model"]],
    ["a5", null, expect.stringMatching(/^fast-acme-[0-9a-f]{8}$/), [], ["acme-model"]],
  ]);
  expect(new Set(aliases.map((a) => a.name)).size).toBe(5);
  expect(new Set(providers.map((p) => p.name)).size).toBe(3);
  const grants = await prisma.modelGrant.findMany({ orderBy: [{ workspaceId: "asc" }, { name: "asc" }] });
  expect(grants.map((g) => [g.workspaceId, g.name, g.aliasId, g.allowedRoles, g.allowedUserIds])).toEqual([
    ["w1", "fast", "a1", ["ADMIN", "BUILDER"], []],
    ["w1", "fast-acme", "a5", ["ADMIN"], []],
    ["w1", "smart", "a3", ["ADMIN"], ["u2"]],
    ["w2", "fast", "a2", ["ADMIN"], []],
    ["w3", "fast", "a4", ["ADMIN"], []],
  ]);
  expect(await prisma.gatewaySettings.findUnique({ where: { workspaceId: "w1" } })).toMatchObject({
    workspaceBudgetUsd: 25,
    ownProviders: false,
  });

  // Calls go where they went, with the keys each workspace entered, at the same prices.
  const { governedModel } = await import("../../lib/gateway/pipeline");
  const ask = (alias: string, who: Viewer) =>
    generateText({
      model: governedModel(alias, {
        workspaceId: who.workspace.id,
        userId: who.user.id,
        role: who.role,
        source: "api",
      }),
      prompt: "hello",
      maxRetries: 0,
    });
  const ada = viewer("w1", "u1", "ADMIN");
  const rita = viewer("w1", "u2", "REVIEWER");
  const cy = viewer("w2", "u3", "ADMIN");
  await ask("fast", ada);
  await ask("fast", cy);
  await ask("smart", rita); // named on the model, so on its grant
  await expect(ask("fast", rita)).rejects.toThrow(
    /You may not use the model “fast”: it is open to the roles admin and builder/,
  );
  await expect(ask("smart", cy)).rejects.toThrow(/There is no model “smart” in this workspace/);
  expect([llm.calls("acme-model"), llm.calls("globex-model"), llm.calls("acme-smart")]).toEqual([1, 1, 1]);
  expect([...llm.keysSeen].sort()).toEqual(["sk-key-of-acme", "sk-key-of-globex"]);

  // A workflow that picks "fast" runs as before.
  const { startRunWorker } = await import("../../lib/execution/run-worker");
  const worker = await startRunWorker({ concurrency: 2 });
  try {
    const { createWorkflow } = await import("../../lib/workflows/workflows");
    const { startRun } = await import("../../lib/runs/start-run");
    const { awaitRun } = await import("../../lib/runs/await-run");
    const wf = await createWorkflow("w1", "u1", { name: "Hello", description: "", graph: agentGraph });
    const run = await startRun(ada, wf.id, { mode: "draft", input: {} });
    expect((await awaitRun(run.id, 30_000)).status).toBe("COMPLETED");
    expect(llm.calls("acme-model")).toBe(2);
  } finally {
    await worker.stop();
    const { stopQueue } = await import("../../lib/platform/queues");
    await stopQueue();
  }

  // The workspaces' admins no longer connect providers of their own.
  const { saveProvider } = await import("../../lib/gateway/admin");
  await expect(
    saveProvider(cy, { name: "Mine", kind: "OPENAI_COMPATIBLE", baseUrl: llm.baseUrl, apiKey: "" }),
  ).rejects.toMatchObject({ status: 403 });
});
