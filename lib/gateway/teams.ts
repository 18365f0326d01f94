import "server-only";
import { modelsUsed } from "../workflows/models-used";
import type { Viewer } from "../auth/session";
import { recordAudit } from "../audit/record";
import { db } from "../db/client";
import { AppError, notFound } from "../errors/app-error";
import type { Role } from "../schemas/identity";
import type { GrantAccess, GrantView, TeamInput, TeamView } from "../schemas/teams";
import { requireInstallationOwner } from "../workspaces/installation-owners";
import { periodStart } from "./budget";
import { gatewayChanged } from "./config";

/**
 * Workspaces as the organization's teams (DESIGN.md, "Gateway"): installation owners grant each
 * the organization's models, under the names its builders pick them by, set the team's own rate
 * limits and budget, and let it bring its own providers or not. A team's admins then say who in
 * the team may use each granted model; everything is audited and reaches every process at once.
 */
const WHY = "teams reach models only through the organization's grants";

const grantView = (g: {
  id: string;
  aliasId: string;
  name: string;
  allowedRoles: Role[];
  allowedUserIds: string[];
  alias: { name: string; description: string };
}): GrantView => ({
  id: g.id,
  aliasId: g.aliasId,
  aliasName: g.alias.name,
  name: g.name,
  description: g.alias.description,
  allowedRoles: g.allowedRoles,
  allowedUserIds: g.allowedUserIds,
});

const grantInclude = { alias: { select: { name: true, description: true } } } as const;

export async function listTeams(viewer: Viewer): Promise<TeamView[]> {
  await requireInstallationOwner(viewer, "see the teams' grants and limits", WHY);
  const prisma = await db();
  const [workspaces, settings, grants, own, toolGrants] = await Promise.all([
    prisma.workspace.findMany({
      select: { id: true, name: true, _count: { select: { memberships: true } } },
      orderBy: { name: "asc" },
    }),
    prisma.gatewaySettings.findMany(),
    prisma.modelGrant.findMany({ include: grantInclude, orderBy: { name: "asc" } }),
    prisma.modelAlias.groupBy({ by: ["workspaceId"], where: { workspaceId: { not: null } }, _count: true }),
    prisma.toolServerGrant.findMany({ select: { workspaceId: true, server: { select: { name: true } } } }),
  ]);
  const spent = await prisma.budgetUsage.findMany({
    where: {
      OR: settings.map((s) => ({ key: `ws:${s.workspaceId}`, periodStart: periodStart(s.budgetPeriod) })),
    },
  });
  return workspaces.map((w) => {
    const s = settings.find((x) => x.workspaceId === w.id);
    return {
      id: w.id,
      name: w.name,
      members: w._count.memberships,
      grants: grants.filter((g) => g.workspaceId === w.id).map(grantView),
      toolServers: toolGrants
        .filter((g) => g.workspaceId === w.id)
        .map((g) => g.server.name)
        .sort(),
      ownProviders: s?.ownProviders ?? false,
      ownModels: own.find((o) => o.workspaceId === w.id)?._count ?? 0,
      workspaceRpm: s?.workspaceRpm ?? null,
      workspaceTpm: s?.workspaceTpm ?? null,
      workspaceBudgetUsd: s?.workspaceBudgetUsd ?? null,
      budgetPeriod: s?.budgetPeriod ?? "MONTH",
      spentUsd: spent.find((u) => u.key === `ws:${w.id}`)?.spentUsd ?? 0,
    };
  });
}

/**
 * A save that takes a model's name away from a team (a grant removed or renamed) while its
 * workflows (the draft or the version runs use) or application keys call it is refused, naming
 * them, unless the owner says to save anyway (`force`): those calls would fail from then on.
 */
async function refuseIfInUse(workspaceId: string, before: { name: string }[], grants: { name: string }[]) {
  const lost = before.map((b) => b.name).filter((n) => !grants.some((g) => g.name === n));
  if (!lost.length) return;
  const prisma = await db();
  const [flows, keys] = await Promise.all([
    prisma.workflow.findMany({
      where: { workspaceId, deletedAt: null },
      select: { name: true, graph: true, versions: { orderBy: { version: "desc" }, take: 1, select: { graph: true } } },
      orderBy: { name: "asc" },
    }),
    prisma.apiKey.findMany({
      where: { workspaceId, revokedAt: null, models: { hasSome: lost } },
      select: { name: true },
    }),
  ]);
  const uses = flows.flatMap((w) => {
    const steps = [...modelsUsed(w.graph), ...modelsUsed(w.versions[0]?.graph)].filter((s) => lost.includes(s.model));
    const names = [...new Set(steps.map((s) => `${s.label || "a step"} (${s.model})`))];
    return names.length ? [`the workflow “${w.name}”: ${names.join(", ")}`] : [];
  });
  uses.push(...keys.map((k) => `the application key “${k.name}”`));
  if (!uses.length) return;
  throw new AppError(
    "conflict",
    `This takes ${lost.map((n) => `“${n}”`).join(", ")} away from the team, which still calls ${lost.length === 1 ? "it" : "them"}: ${uses.slice(0, 8).join("; ")}${uses.length > 8 ? `; and ${uses.length - 8} more` : ""}. Their calls would fail. Keep the name, or save anyway.`,
    { fields: [{ path: "body.force", message: "models in use" }] },
  );
}

/** Sets a team's grants, limits and "bring your own key" at once (the grants given replace the team's). */
export async function saveTeam(viewer: Viewer, workspaceId: string, input: TeamInput): Promise<void> {
  await requireInstallationOwner(viewer, "change a team's grants and limits", WHY);
  const prisma = await db();
  const names = new Map<string, number>();
  const models = new Map<string, number>();
  input.grants.forEach((g, i) => {
    const first = names.get(g.name);
    if (first !== undefined)
      throw new AppError("bad_request", `grants.${i}.name: “${g.name}” is already the name of grants.${first}.`, {
        fields: [{ path: `body.grants.${i}.name`, message: "already used for another model" }],
      });
    if (models.has(g.aliasId))
      throw new AppError(
        "bad_request",
        `grants.${i}.aliasId: the model is already granted as grants.${models.get(g.aliasId)}.`,
        { fields: [{ path: `body.grants.${i}.aliasId`, message: "granted twice" }] },
      );
    names.set(g.name, i);
    models.set(g.aliasId, i);
  });
  const aliasIds = input.grants.map((g) => g.aliasId);
  const [workspace, aliases, before, settings, own] = await Promise.all([
    prisma.workspace.findUnique({ where: { id: workspaceId }, select: { id: true } }),
    prisma.modelAlias.findMany({ where: { id: { in: aliasIds }, workspaceId: null } }),
    prisma.modelGrant.findMany({ where: { workspaceId } }),
    prisma.gatewaySettings.findUnique({ where: { workspaceId } }),
    prisma.modelAlias.findMany({ where: { workspaceId }, select: { name: true } }),
  ]);
  if (!workspace) throw notFound("Team");
  // A grant may not take the name of a model the team defined itself: its calls would move.
  const clash = input.grants.findIndex((g) => own.some((o) => o.name === g.name));
  if (clash >= 0)
    throw new AppError(
      "conflict",
      `grants.${clash}.name: the team has a model of its own named “${input.grants[clash]!.name}”; grant this one under another name.`,
      { fields: [{ path: `body.grants.${clash}.name`, message: "the team's own model has this name" }] },
    );
  const missing = input.grants.findIndex((g) => !aliases.some((a) => a.id === g.aliasId));
  if (missing >= 0)
    throw new AppError("bad_request", `grants.${missing}.aliasId: no such model in the organization.`, {
      fields: [{ path: `body.grants.${missing}.aliasId`, message: "no such organization model" }],
    });
  if (!input.force) await refuseIfInUse(workspaceId, before, input.grants);
  const { grants, force: _force, ...limits } = input;
  await prisma.$transaction(async (tx) => {
    await tx.modelGrant.deleteMany({ where: { workspaceId, aliasId: { notIn: aliasIds } } });
    // Kept grants move to temporary names first, so two of them may swap names.
    for (const kept of before.filter((b) => aliasIds.includes(b.aliasId)))
      await tx.modelGrant.update({ where: { id: kept.id }, data: { name: `~${kept.id}` } });
    for (const g of grants) {
      const kept = before.find((b) => b.aliasId === g.aliasId);
      const alias = aliases.find((a) => a.id === g.aliasId)!;
      const allowedRoles = g.allowedRoles ?? kept?.allowedRoles ?? alias.allowedRoles;
      if (kept) await tx.modelGrant.update({ where: { id: kept.id }, data: { name: g.name, allowedRoles } });
      else
        await tx.modelGrant.create({
          data: { workspaceId, aliasId: g.aliasId, name: g.name, allowedRoles, allowedUserIds: [] },
        });
    }
    // Each person's limits stay within the team's: a lowered team limit lowers theirs with it.
    const within = (person: number | null | undefined, team: number | null) =>
      person != null && team !== null && person > team ? team : (person ?? null);
    const people = {
      userRpm: within(settings?.userRpm, limits.workspaceRpm),
      userTpm: within(settings?.userTpm, limits.workspaceTpm),
      userBudgetUsd: within(settings?.userBudgetUsd, limits.workspaceBudgetUsd),
    };
    await tx.gatewaySettings.upsert({
      where: { workspaceId },
      create: { workspaceId, ...limits },
      update: { ...limits, ...people },
    });
    await recordAudit(tx, {
      workspaceId,
      actorId: viewer.user.id,
      action: "organization.team",
      targetType: "Workspace",
      targetId: workspaceId,
      before: {
        grants: before.map((b) => ({ aliasId: b.aliasId, name: b.name })),
        ownProviders: settings?.ownProviders ?? false,
        workspaceRpm: settings?.workspaceRpm ?? null,
        workspaceTpm: settings?.workspaceTpm ?? null,
        workspaceBudgetUsd: settings?.workspaceBudgetUsd ?? null,
        budgetPeriod: settings?.budgetPeriod ?? "MONTH",
      },
      after: { ...limits, grants: grants.map((g) => ({ aliasId: g.aliasId, name: g.name })) },
    });
  });
  await gatewayChanged(workspaceId);
}

/** The organization's models granted to the viewer's team (any member may read what the team has). */
export async function listGrants(viewer: Viewer): Promise<GrantView[]> {
  const prisma = await db();
  const rows = await prisma.modelGrant.findMany({
    where: { workspaceId: viewer.workspace.id },
    include: grantInclude,
    orderBy: { name: "asc" },
  });
  return rows.map(grantView);
}

/** Who in the team may use a granted model: the team's admins decide. */
export async function setGrantAccess(viewer: Viewer, id: string, input: GrantAccess): Promise<GrantView> {
  const prisma = await db();
  const workspaceId = viewer.workspace.id;
  const grant = await prisma.modelGrant.findFirst({ where: { id, workspaceId } });
  if (!grant) throw notFound("Granted model");
  if (input.allowedUserIds.length) {
    const members = await prisma.membership.count({ where: { workspaceId, userId: { in: input.allowedUserIds } } });
    if (members !== new Set(input.allowedUserIds).size)
      throw new AppError("bad_request", "allowedUserIds: everyone given access must be a member of this workspace.", {
        fields: [{ path: "body.allowedUserIds", message: "not all members" }],
      });
  }
  const row = await prisma.modelGrant.update({ where: { id }, data: input, include: grantInclude });
  await recordAudit(prisma, {
    workspaceId,
    actorId: viewer.user.id,
    action: "gateway.grant.access",
    targetType: "ModelGrant",
    targetId: id,
    before: { allowedRoles: grant.allowedRoles, allowedUserIds: grant.allowedUserIds },
    after: input,
  });
  await gatewayChanged(workspaceId);
  return grantView(row);
}
