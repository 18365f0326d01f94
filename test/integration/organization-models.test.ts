import { expect, it } from "vitest";
import type { AliasInput } from "../../lib/schemas/gateway";
import type { TeamInput } from "../../lib/schemas/teams";
import { gatewayWorld } from "../support/gateway-world";
import { seedWorkspace } from "../support/process-database";
import { allowLoopback } from "../support/loopback-destination";

/**
 * The organization's providers and models, granted to teams (workspaces) through the real
 * gateway and a loopback provider: each team reaches only what it was granted, under the name it
 * was granted as; only installation owners change providers, models, grants and a team's own
 * limits; a team's admins set who in the team may use a grant and per-person limits within the
 * team's; a team sees only its own usage; "bring your own key" lets a team add its own.
 */
const world = gatewayWorld("organization-models");

const model = (providerId: string, modelId: string, extra: Partial<AliasInput> = {}): AliasInput => ({
  name: modelId,
  description: "",
  inputPricePerMTok: 0,
  outputPricePerMTok: 1_000_000,
  contextWindow: 128_000,
  maxOutputTokens: 1,
  supportsTools: true,
  supportsStructured: true,
  allowedRoles: ["ADMIN", "BUILDER"],
  allowedUserIds: [],
  cacheTtlSeconds: 0,
  deployments: [{ providerId, modelId, weight: 1, rpmLimit: null, tpmLimit: null, timeoutSeconds: 30 }],
  ...extra,
});

const team = (grants: TeamInput["grants"], extra: Partial<TeamInput> = {}): TeamInput => ({
  grants,
  ownProviders: false,
  workspaceRpm: null,
  workspaceTpm: null,
  workspaceBudgetUsd: null,
  budgetPeriod: "MONTH",
  ...extra,
});

const noLimits = {
  userRpm: null,
  userTpm: null,
  workspaceRpm: null,
  workspaceTpm: null,
  workspaceBudgetUsd: null,
  userBudgetUsd: null,
  budgetPeriod: "MONTH" as const,
};

it("grants the organization's models to teams under their own names, and keeps each team to its grants", async () => {
  const prisma = await world.mod.db.db();
  const admin = world.mod.admin;
  const teams = await import("../../lib/gateway/teams");
  const [cy, dee] = await seedWorkspace(prisma, "globex", [
    { email: "cy@globex.example", role: "ADMIN" },
    { email: "dee@globex.example", role: "BUILDER" },
  ]);
  const { id: providerId } = await admin.saveProvider(
    world.admin,
    { name: "Organization loopback", kind: "OPENAI_COMPATIBLE", baseUrl: world.llm.baseUrl, apiKey: "sk-org-1234" },
    undefined,
    "organization",
  );
  const { id: small } = await admin.saveAlias(world.admin, model(providerId, "small-model"), undefined, "organization");
  const { id: large } = await admin.saveAlias(world.admin, model(providerId, "large-model"), undefined, "organization");
  // An organization model names no people: those are per team.
  await expect(
    admin.saveAlias(world.admin, model(providerId, "x", { allowedUserIds: [cy.user.id] }), undefined, "organization"),
  ).rejects.toMatchObject({ status: 400 });

  // Acme gets both; Globex only the small one, as "assistant".
  await teams.saveTeam(
    world.admin,
    world.admin.workspace.id,
    team([
      { aliasId: small, name: "chat" },
      { aliasId: large, name: "smart" },
    ]),
  );
  await teams.saveTeam(world.admin, cy.workspace.id, team([{ aliasId: small, name: "assistant" }]));
  await world.ask("chat", world.builder);
  await world.ask("smart", world.builder);
  await world.ask("assistant", dee);
  await expect(world.ask("smart", dee)).rejects.toThrow(/There is no model “smart” in this workspace/);
  await expect(world.ask("chat", dee)).rejects.toThrow(/There is no model “chat” in this workspace/);
  expect([world.llm.calls("small-model"), world.llm.calls("large-model")]).toEqual([2, 1]);
  expect(world.llm.keysSeen).toEqual(new Set(["sk-org-1234"]));

  // Two grants swap names in one change.
  await teams.saveTeam(
    world.admin,
    world.admin.workspace.id,
    team([
      { aliasId: small, name: "smart" },
      { aliasId: large, name: "chat" },
    ]),
  );
  await world.ask("smart", world.builder);
  expect(world.llm.calls("small-model")).toBe(3);
  await expect(
    teams.saveTeam(
      world.admin,
      cy.workspace.id,
      team([
        { aliasId: small, name: "a" },
        { aliasId: large, name: "a" },
      ]),
    ),
  ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/grants\.1\.name/) });
  await expect(
    teams.saveTeam(
      world.admin,
      cy.workspace.id,
      team([
        { aliasId: small, name: "a" },
        { aliasId: small, name: "b" },
      ]),
    ),
  ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/grants\.1\.aliasId/) });

  // Only installation owners see or change the organization's side.
  for (const attempt of [
    () => teams.listTeams(cy),
    () => teams.saveTeam(cy, cy.workspace.id, team([{ aliasId: large, name: "large" }])),
    () => admin.listProviders(cy, "organization"),
    () => admin.saveAlias(cy, model(providerId, "mine"), undefined, "organization"),
    () => admin.deleteAlias(cy, small, "organization"),
  ])
    await expect(attempt()).rejects.toMatchObject({ status: 403 });
  // Nor, without "bring your own key", a provider of the team's own.
  await expect(
    admin.saveProvider(cy, { name: "Mine", kind: "OPENAI_COMPATIBLE", baseUrl: world.llm.baseUrl, apiKey: "" }),
  ).rejects.toMatchObject({ status: 403, message: expect.stringMatching(/bring your own key/) });

  // Globex's admin says who in the team may use its grant.
  const [grant] = await teams.listGrants(cy);
  expect(grant).toMatchObject({ name: "assistant", aliasName: "small-model", allowedRoles: ["ADMIN", "BUILDER"] });
  await teams.setGrantAccess(cy, grant!.id, { allowedRoles: ["ADMIN"], allowedUserIds: [] });
  await expect(world.ask("assistant", dee)).rejects.toThrow(/You may not use the model “assistant”/);
  await teams.setGrantAccess(cy, grant!.id, { allowedRoles: ["ADMIN"], allowedUserIds: [dee.user.id] });
  await world.ask("assistant", dee);
  await expect(
    teams.setGrantAccess(world.admin, grant!.id, { allowedRoles: [], allowedUserIds: [] }),
  ).rejects.toMatchObject({
    status: 404,
  });

  // The team's own limits are the organization's; per-person ones the team's, within them.
  await teams.saveTeam(
    world.admin,
    cy.workspace.id,
    team([{ aliasId: small, name: "assistant" }], { workspaceBudgetUsd: 5 }),
  );
  await expect(admin.saveLimits(cy, { ...noLimits, workspaceBudgetUsd: 50 })).rejects.toMatchObject({
    status: 403,
    message: expect.stringMatching(/^workspaceBudgetUsd, budgetPeriod|^workspaceBudgetUsd/),
  });
  await expect(admin.saveLimits(cy, { ...noLimits, workspaceBudgetUsd: 5, userBudgetUsd: 6 })).rejects.toMatchObject({
    status: 400,
    message: "userBudgetUsd: at most the team's 5 USD",
  });
  await admin.saveLimits(cy, { ...noLimits, workspaceBudgetUsd: 5, userBudgetUsd: 4 });
  // A team budget lowered below a person's lowers theirs with it.
  await teams.saveTeam(
    world.admin,
    cy.workspace.id,
    team([{ aliasId: small, name: "assistant" }], { workspaceBudgetUsd: 1 }),
  );
  expect(await admin.getLimits(cy)).toMatchObject({ workspaceBudgetUsd: 1, userBudgetUsd: 1 });
  await teams.saveTeam(
    world.admin,
    cy.workspace.id,
    team([{ aliasId: small, name: "assistant" }], { workspaceBudgetUsd: 5 }),
  );
  expect(await admin.getLimits(cy)).toMatchObject({
    workspaceBudgetUsd: 5,
    userBudgetUsd: 1,
    mayChangeTeamLimits: false,
  });
  await world.ask("assistant", dee); // $1 of Dee's $1
  await expect(world.ask("assistant", dee)).rejects.toThrow(/Budget reached/);

  // Each team sees its own usage only.
  const { usageReport } = await import("../../lib/gateway/usage");
  await world.mod.ledger.flushLedger();
  const theirs = await usageReport(cy, 1);
  const ours = await usageReport(world.admin, 1);
  expect(theirs.byUser.map((u) => u.name)).toEqual(["dee"]);
  expect(ours.byUser.map((u) => u.name)).toEqual(["bob"]);
  // Globex's "chat" and "smart" are its own refused tries; what it spent is its own.
  expect(theirs.byModel.map((m) => [m.alias, m.costUsd])).toEqual(
    expect.arrayContaining([
      ["chat", 0],
      ["smart", 0],
    ]),
  );
  expect(theirs.totals.costUsd).toBe(3);
  const listed = await teams.listTeams(world.admin);
  expect(listed.find((t) => t.id === cy.workspace.id)).toMatchObject({
    grants: [expect.objectContaining({ name: "assistant", allowedUserIds: [dee.user.id] })],
    workspaceBudgetUsd: 5,
    ownProviders: false,
  });

  // Bring your own key: the team adds its own, never under a granted name, nor grants under its own.
  await admin.saveLimits(cy, { ...noLimits, workspaceBudgetUsd: 5 });
  await teams.saveTeam(
    world.admin,
    cy.workspace.id,
    team([{ aliasId: small, name: "assistant" }], { ownProviders: true }),
  );
  await allowLoopback(cy); // its own provider is on this machine: its admin allows the address
  const { id: own } = await admin.saveProvider(cy, {
    name: "Globex's own",
    kind: "OPENAI_COMPATIBLE",
    baseUrl: world.llm.baseUrl,
    apiKey: "sk-globex-own",
  });
  await admin.saveAlias(cy, model(own, "own-model", { name: "ours" }));
  await expect(admin.saveAlias(cy, model(own, "own-model", { name: "assistant" }))).rejects.toMatchObject({
    status: 409,
  });
  await expect(
    teams.saveTeam(world.admin, cy.workspace.id, team([{ aliasId: large, name: "ours" }], { ownProviders: true })),
  ).rejects.toMatchObject({
    status: 409,
    message: expect.stringMatching(/^grants\.0\.name: the team has a model of its own/),
  });
  // Nor does it reach the organization's providers or models from its own side.
  await expect(admin.saveAlias(cy, model(providerId, "small-model", { name: "sneaky" }))).rejects.toMatchObject({
    status: 400,
  });
  await expect(admin.deleteAlias(cy, small)).rejects.toMatchObject({ status: 404 });
  await world.ask("ours", cy);
  await world.ask("assistant", cy);
  expect(world.llm.calls("own-model")).toBe(1);
  expect(world.llm.keysSeen.has("sk-globex-own")).toBe(true);
  expect((await admin.listProviders(cy)).map((p) => p.name)).toEqual(["Globex's own"]);
  expect((await admin.listProviders(world.admin, "organization")).map((p) => p.name)).toEqual([
    "Organization loopback",
  ]);

  // Deleting an organization model takes it from every team.
  await admin.deleteAlias(world.admin, small, "organization");
  await expect(world.ask("chat", world.builder)).resolves.toBeDefined(); // chat is the large one now
  await expect(world.ask("smart", world.builder)).rejects.toThrow(/There is no model “smart”/);
  expect(await prisma.modelGrant.count({ where: { aliasId: small } })).toBe(0);
  const audit = await prisma.auditLog.findMany({ where: { action: "organization.team" } });
  expect(audit.length).toBe(7);
});

it("refuses to take a model's name from a team whose workflows or keys still call it, unless told to save anyway", async () => {
  const prisma = await world.mod.db.db();
  const admin = world.mod.admin;
  const teams = await import("../../lib/gateway/teams");
  await prisma.user.update({ where: { id: world.admin.user.id }, data: { installationOwner: true } });
  const [ivy] = await seedWorkspace(prisma, "initrode", [{ email: "ivy@initrode.example", role: "ADMIN" }]);
  const { id: providerId } = await admin.saveProvider(
    world.admin,
    { name: "Organization loopback", kind: "OPENAI_COMPATIBLE", baseUrl: world.llm.baseUrl, apiKey: "sk-org-5678" },
    undefined,
    "organization",
  );
  const { id: chat } = await admin.saveAlias(world.admin, model(providerId, "chat-model"), undefined, "organization");
  const { id: judge } = await admin.saveAlias(world.admin, model(providerId, "judge-model"), undefined, "organization");
  const ws = ivy.workspace.id;
  await teams.saveTeam(
    world.admin,
    ws,
    team([
      { aliasId: chat, name: "chat" },
      { aliasId: judge, name: "judge" },
    ]),
  );
  const agent = { id: "a", kind: "agent", label: "Draft", position: { x: 0, y: 0 }, config: { model: "chat" } };
  const check = {
    id: "g",
    kind: "guardrail",
    label: "Check",
    position: { x: 0, y: 0 },
    config: { judgeModel: "judge" },
  };
  // The draft calls "chat"; the version runs use calls "judge"; a deleted workflow counts for nothing.
  const flow = await prisma.workflow.create({
    data: { workspaceId: ws, name: "Replies", graph: { nodes: [agent], edges: [] } },
  });
  await prisma.workflowVersion.create({
    data: { workflowId: flow.id, version: 1, graph: { nodes: [check], edges: [] } },
  });
  await prisma.workflow.create({
    data: { workspaceId: ws, name: "Old", graph: { nodes: [agent], edges: [] }, deletedAt: new Date() },
  });

  // Renamed and taken away: refused, naming what still calls each.
  const renamed = team([{ aliasId: chat, name: "assistant" }]);
  await expect(teams.saveTeam(world.admin, ws, renamed)).rejects.toMatchObject({
    status: 409,
    message: expect.stringMatching(
      /^This takes “chat”, “judge” away from the team, which still calls them: the workflow “Replies”: Draft \(chat\), Check \(judge\)\. Their calls would fail\./,
    ),
  });
  expect((await prisma.modelGrant.findMany({ where: { workspaceId: ws } })).map((g) => g.name).sort()).toEqual([
    "chat",
    "judge",
  ]);
  // An application key that may call "chat" is named too.
  await prisma.workflow.update({ where: { id: flow.id }, data: { graph: { nodes: [], edges: [] } } });
  await prisma.workflowVersion.deleteMany({ where: { workflowId: flow.id } });
  await prisma.apiKey.create({
    data: {
      workspaceId: ws,
      userId: ivy.user.id,
      name: "support-bot",
      prefix: "fdk_x",
      keyHash: `hash-${Date.now()}`,
      kind: "APPLICATION",
      role: "BUILDER",
      models: ["chat"],
    },
  });
  await expect(teams.saveTeam(world.admin, ws, renamed)).rejects.toThrow(
    /away from the team, which still calls them: the application key “support-bot”\./,
  );
  // Told to save anyway, it saves.
  await teams.saveTeam(world.admin, ws, { ...renamed, force: true });
  expect((await prisma.modelGrant.findMany({ where: { workspaceId: ws } })).map((g) => g.name)).toEqual(["assistant"]);
});
