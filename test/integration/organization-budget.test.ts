import { generateText } from "ai";
import { expect, it } from "vitest";
import type { Viewer } from "../../lib/auth/session";
import { gatewayWorld } from "../support/gateway-world";
import { seedWorkspace } from "../support/process-database";

/**
 * One organization, two teams sharing the organization's loopback provider and model (granted to
 * each) through the real gateway:
 * each team capped by its own budget, both together by the organization's (the cap above
 * both), the organization's spend by team with a forecast, and budget alerts at 50, 80 and
 * 100% told once to the people concerned.
 */
const world = gatewayWorld("organization-budget");

/** One organization provider and model ($1 a call), granted to each team as "chat", each with this budget. */
async function shareModel(teams: Viewer[], budgetUsd: number | null) {
  const { id: providerId } = await world.mod.admin.saveProvider(
    world.admin,
    { name: "Shared loopback", kind: "OPENAI_COMPATIBLE", baseUrl: world.llm.baseUrl, apiKey: "sk-org-secret-1234" },
    undefined,
    "organization",
  );
  const { id: aliasId } = await world.mod.admin.saveAlias(
    world.admin,
    {
      name: "shared-chat",
      description: "",
      inputPricePerMTok: 0,
      outputPricePerMTok: 1_000_000, // $1 per call: one output token at $1 a token.
      contextWindow: 128_000,
      maxOutputTokens: 1,
      supportsTools: true,
      supportsStructured: true,
      allowedRoles: ["ADMIN", "BUILDER"],
      allowedUserIds: [],
      cacheTtlSeconds: 0,
      deployments: [
        { providerId, modelId: "chat-model", weight: 1, rpmLimit: null, tpmLimit: null, timeoutSeconds: 30 },
      ],
    },
    undefined,
    "organization",
  );
  world.llm.behave("chat-model", { kind: "answer", text: "ok", usage: { prompt: 1, completion: 1 } });
  const grants = await import("../../lib/gateway/teams");
  for (const team of teams)
    await grants.saveTeam(world.admin, team.workspace.id, {
      grants: [{ aliasId, name: "chat" }],
      ownProviders: false,
      workspaceRpm: null,
      workspaceTpm: null,
      workspaceBudgetUsd: budgetUsd,
      budgetPeriod: "MONTH",
    });
}

it("caps each team by its budget and both by the organization's, shows the spend by team, and alerts once", async () => {
  const prisma = await world.mod.db.db();
  await prisma.user.update({ where: { id: world.admin.user.id }, data: { installationOwner: true } });
  const [globex] = await seedWorkspace(prisma, "globex", [{ email: "cy@globex.example", role: "ADMIN" }]);
  await shareModel([world.admin, globex], 3);
  const spend = await import("../../lib/gateway/organization-spend");
  await expect(spend.saveOrganizationBudget(world.builder, { budgetUsd: 1, budgetPeriod: "MONTH" })).rejects.toThrow(
    /Only installation owners may set the organization's budget/,
  );
  await spend.saveOrganizationBudget(world.admin, { budgetUsd: 4, budgetPeriod: "MONTH" });
  const ask = (viewer: Viewer) =>
    generateText({
      model: world.mod.gateway.governedModel("chat", world.caller(viewer)),
      prompt: "hi",
      maxOutputTokens: 1,
      maxRetries: 0,
    });

  for (let i = 0; i < 3; i++) await ask(world.admin);
  await expect(ask(world.admin)).rejects.toThrow(/Budget reached: this workspace's budget is \$3\.00/);
  // The caps are leased: what acme's calls hold of the organization's cap (a
  // settlement, the refused call's slice) is written back within a quarter second. Until then a
  // call near the cap may be refused early (the safe side); here it is given back first.
  await world.mod.leases.releaseLeases();
  await ask(globex);
  // Globex has room of its own ($2 left), but the organization has none.
  await expect(ask(globex)).rejects.toThrow(
    /Budget reached: the organization's budget is \$4\.00 per month over every workspace/,
  );
  expect(world.llm.calls("chat-model")).toBe(4);

  // What the last call spent is written back from its lease within a tenth of a second.
  await expect.poll(async () => (await spend.organizationSpend(world.admin)).spentUsd).toBe(4);
  const seen = await spend.organizationSpend(world.admin);
  expect(seen).toMatchObject({ period: "MONTH", budgetUsd: 4, spentUsd: 4 });
  expect(seen.forecastUsd).toBeGreaterThanOrEqual(4);
  expect(seen.byWorkspace.map((w) => [w.name, w.spentUsd, w.calls, w.budgetUsd])).toEqual([
    // Calls include the refused ones (the ledger records them).
    ["acme", 3, 4, 3],
    ["globex", 1, 2, 3],
  ]);
  // By the organization's model (both teams' "chat" is "shared-chat") and by person, every team together.
  expect(seen.byModel.map((m) => [m.name, m.team, m.spentUsd, m.calls])).toEqual([["shared-chat", null, 4, 6]]);
  expect(seen.byPerson.map((p) => [p.name, p.spentUsd, p.calls])).toEqual([
    ["ada", 3, 4],
    ["cy", 1, 2],
  ]);
  expect([seen.byWorkflow, seen.byKey]).toEqual([[], []]);
  await expect(spend.organizationSpend(world.builder)).rejects.toThrow(/Only installation owners/);

  // The organization and acme passed 100%; globex is at 33%: two alerts, each told once.
  const { checkBudgetAlerts } = await import("../../lib/review/budget-alerts");
  expect(await checkBudgetAlerts()).toBe(2);
  expect(await checkBudgetAlerts()).toBe(0);
  const told = await prisma.notification.findMany({ where: { kind: "budget.alert" }, orderBy: { title: "asc" } });
  expect(told.map((n) => [n.userId, n.title, n.link])).toEqual([
    [
      world.admin.user.id,
      "The organization has used its whole monthly model budget: calls that would pass it are refused",
      "/organization",
    ],
    [
      world.admin.user.id,
      "acme has used its whole monthly model budget: calls that would pass it are refused",
      "/admin/usage",
    ],
  ]);
  expect(told[0]!.body).toBe(`$4.00 of $4.00 spent since ${new Date().toISOString().slice(0, 8)}01.`);
  expect(await prisma.budgetAlert.count()).toBe(6);
});

it("limits every team's calls together by the organization's requests per minute, on top of each team's own", async () => {
  const prisma = await world.mod.db.db();
  await prisma.user.update({ where: { id: world.admin.user.id }, data: { installationOwner: true } });
  const [initech] = await seedWorkspace(prisma, "initech", [{ email: "di@initech.example", role: "ADMIN" }]);
  await shareModel([world.admin, initech], null);
  const spend = await import("../../lib/gateway/organization-spend");
  await spend.saveOrganizationBudget(world.admin, { budgetUsd: null, budgetPeriod: "MONTH" });
  const limits = { requestsPerMinute: 2, tokensPerMinute: null };
  await expect(spend.saveOrganizationLimits(world.builder, limits)).rejects.toThrow(/Only installation owners/);
  await spend.saveOrganizationLimits(world.admin, limits);
  expect((await spend.organizationSpend(world.admin)).limits).toEqual(limits);

  const ask = (v: Viewer) =>
    generateText({ model: world.mod.gateway.governedModel("chat", world.caller(v)), prompt: "hi", maxRetries: 0 });
  expect((await ask(world.builder)).text).toBe("ok");
  expect((await ask(initech)).text).toBe("ok");
  // Neither team has a limit of its own: the third call of the minute, from either, is refused.
  await expect(ask(world.builder)).rejects.toThrow(
    /Rate limit reached: the organization's requests per minute \(2 per minute\)\. Try again in \d+ s\./,
  );
  await expect(ask(initech)).rejects.toThrow(/the organization's requests per minute/);
  expect(world.llm.calls("chat-model")).toBe(2);
  const audited = await prisma.auditLog.findFirst({ where: { action: "organization.limits" } });
  expect(audited?.after).toEqual(limits);
  await spend.saveOrganizationLimits(world.admin, { requestsPerMinute: null, tokensPerMinute: null });
});
