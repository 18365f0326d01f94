import "server-only";
import { isUniqueViolation } from "../db/unique-violation";
import type { Viewer } from "../auth/session";
import { recordAudit } from "../audit/record";
import { derivedKey } from "../config/secrets";
import { lastFour, open, seal } from "../crypto/secret-box";
import { db } from "../db/client";
import { workspaceFetch } from "../egress/destinations";
import { AppError, notFound } from "../errors/app-error";
import { providerDestination, sameDestination } from "../schemas/destination";
import type { AliasInput, AliasView, ProviderInput, ProviderView } from "../schemas/gateway";
import { requireInstallationOwner } from "../workspaces/installation-owners";
import { mayChange, ORGANIZATION, ownerOf, type GatewayScope } from "./gateway-scope";
import { refuseIfJudge } from "./policies";
import { coolingDown } from "./routing";

export { getLimits, saveLimits } from "./team-limits";
export { ownsProviders, type GatewayScope } from "./gateway-scope";

/**
 * What admins change in the gateway: providers (keys sealed at rest, shown as their last four
 * characters only), model aliases with their deployments, limits and budgets. Every change
 * is audited and reaches every process at once (gatewayChanged).
 *
 * Providers and models belong to the organization (`scope` "organization": installation owners,
 * teams reach its models through grants, lib/gateway/teams.ts) or to one workspace, only where
 * the organization lets it bring its own keys (`GatewaySettings.ownProviders`).
 */
const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};
const sealKey = (key: string) => seal(key, derivedKey("provider-keys"));

function conflictOnDuplicate(error: unknown, what: string): never {
  if (isUniqueViolation(error))
    throw new AppError("conflict", `${what} already exists; pick another name.`, {
      fields: [{ path: "body.name", message: "already in use" }],
    });
  throw error;
}

export async function listProviders(viewer: Viewer, scope: GatewayScope = "workspace"): Promise<ProviderView[]> {
  if (scope === "organization")
    await requireInstallationOwner(viewer, "see the organization's providers", ORGANIZATION);
  const prisma = await db();
  const rows = await prisma.modelProvider.findMany({
    where: { workspaceId: ownerOf(viewer, scope).workspaceId },
    include: { _count: { select: { deployments: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((p) => ({
    id: p.id,
    name: p.name,
    kind: p.kind,
    baseUrl: p.baseUrl ?? "",
    apiKeyHint: p.apiKeyLastFour,
    testedAt: p.testedAt?.toISOString() ?? null,
    testError: p.testError,
    deployments: p._count.deployments,
  }));
}

export async function saveProvider(
  viewer: Viewer,
  input: ProviderInput,
  id?: string,
  scope: GatewayScope = "workspace",
): Promise<{ id: string }> {
  const owner = await mayChange(viewer, scope);
  const prisma = await db();
  const data = {
    name: input.name,
    kind: input.kind,
    baseUrl: input.baseUrl || null,
    ...(input.apiKey ? { apiKeySealed: sealKey(input.apiKey), apiKeyLastFour: lastFour(input.apiKey) } : {}),
  };
  let row;
  try {
    if (id) {
      const existing = await prisma.modelProvider.findFirst({ where: { id, workspaceId: owner.workspaceId } });
      if (!existing) throw notFound("Provider");
      const from = providerDestination(existing.kind, existing.baseUrl);
      const to = providerDestination(input.kind, input.baseUrl);
      // The stored key goes only where it was entered for: a new address needs it again.
      if (existing.apiKeySealed && !input.apiKey && !sameDestination(from, to))
        throw new AppError(
          "bad_request",
          `apiKey: the address changed (${hostOf(from)} → ${hostOf(to)}); enter the key again to use it there.`,
          { fields: [{ path: "body.apiKey", message: "enter the key again for the new address" }] },
        );
      row = await prisma.modelProvider.update({ where: { id }, data: { ...data, testedAt: null, testError: null } });
    } else {
      row = await prisma.modelProvider.create({ data: { ...data, workspaceId: owner.workspaceId } });
    }
  } catch (error) {
    conflictOnDuplicate(error, `A provider named “${input.name}”`);
  }
  await recordAudit(prisma, {
    workspaceId: owner.auditWorkspaceId,
    actorId: viewer.user.id,
    action: id ? "gateway.provider.update" : "gateway.provider.create",
    targetType: "ModelProvider",
    targetId: row.id,
    after: { name: input.name, kind: input.kind, baseUrl: input.baseUrl, keyChanged: !!input.apiKey, scope },
  });
  await owner.changed();
  return { id: row.id };
}

export async function deleteProvider(viewer: Viewer, id: string, scope: GatewayScope = "workspace"): Promise<void> {
  const owner = await mayChange(viewer, scope);
  const prisma = await db();
  const row = await prisma.modelProvider.findFirst({
    where: { id, workspaceId: owner.workspaceId },
    include: { deployments: { include: { alias: true } } },
  });
  if (!row) throw notFound("Provider");
  if (row.deployments.length) {
    const names = [...new Set(row.deployments.map((d) => `“${d.alias.name}”`))].join(", ");
    throw new AppError(
      "conflict",
      `The models ${names} still send calls to “${row.name}”; remove those deployments first.`,
    );
  }
  await prisma.modelProvider.delete({ where: { id } });
  await recordAudit(prisma, {
    workspaceId: owner.auditWorkspaceId,
    actorId: viewer.user.id,
    action: "gateway.provider.delete",
    targetType: "ModelProvider",
    targetId: id,
    before: { name: row.name, scope },
  });
  await owner.changed();
}

/** "Test connection": lists the provider's models with its key; records the outcome. */
export async function testProvider(
  viewer: Viewer,
  id: string,
  scope: GatewayScope = "workspace",
): Promise<{ ok: boolean; message: string; models: string[] }> {
  const owner = await mayChange(viewer, scope);
  const prisma = await db();
  const row = await prisma.modelProvider.findFirst({ where: { id, workspaceId: owner.workspaceId } });
  if (!row) throw notFound("Provider");
  const key = row.apiKeySealed ? open(row.apiKeySealed, derivedKey("provider-keys")) : "";
  const base = providerDestination(row.kind, row.baseUrl).replace(/\/$/, "");
  const headers: Record<string, string> =
    row.kind === "ANTHROPIC"
      ? { "x-api-key": key, "anthropic-version": "2023-06-01" }
      : key
        ? { authorization: `Bearer ${key}` }
        : {};
  let result: { ok: boolean; message: string; models: string[] };
  try {
    // A team's own provider is reached through the egress guard, as its calls are.
    const get = row.workspaceId ? workspaceFetch(row.workspaceId, "models") : fetch;
    const res = await get(`${base}/models`, { headers, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) {
      result = {
        ok: false,
        message: `The provider answered HTTP ${res.status}${res.status === 401 ? ": the key was refused" : ""}.`,
        models: [],
      };
    } else {
      const body = (await res.json().catch(() => ({}))) as { data?: { id: string }[] };
      const models = (body.data ?? []).map((m) => m.id).slice(0, 100);
      result = {
        ok: true,
        message: `Connected: ${models.length} model${models.length === 1 ? "" : "s"} available.`,
        models,
      };
    }
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    result = { ok: false, message: `Could not reach ${base}: ${cause ?? (error as Error).message}.`, models: [] };
  }
  await prisma.modelProvider.update({
    where: { id },
    data: { testedAt: new Date(), testError: result.ok ? null : result.message },
  });
  return result;
}

export async function listAliases(viewer: Viewer, scope: GatewayScope = "workspace"): Promise<AliasView[]> {
  if (scope === "organization") await requireInstallationOwner(viewer, "see the organization's models", ORGANIZATION);
  const prisma = await db();
  const rows = await prisma.modelAlias.findMany({
    where: { workspaceId: ownerOf(viewer, scope).workspaceId },
    include: { deployments: { include: { provider: true }, orderBy: { position: "asc" } } },
    orderBy: { name: "asc" },
  });
  return rows.map((a) => ({
    id: a.id,
    name: a.name,
    description: a.description,
    inputPricePerMTok: a.inputPricePerMTok,
    outputPricePerMTok: a.outputPricePerMTok,
    contextWindow: a.contextWindow,
    maxOutputTokens: a.maxOutputTokens,
    supportsTools: a.supportsTools,
    supportsStructured: a.supportsStructured,
    allowedRoles: a.allowedRoles,
    allowedUserIds: a.allowedUserIds,
    cacheTtlSeconds: a.cacheTtlSeconds,
    deployments: a.deployments.map((d) => ({
      id: d.id,
      providerId: d.providerId,
      providerName: d.provider.name,
      modelId: d.modelId,
      weight: d.weight,
      rpmLimit: d.rpmLimit,
      tpmLimit: d.tpmLimit,
      timeoutSeconds: d.timeoutSeconds,
      coolingDown: coolingDown(d.id),
    })),
  }));
}

export async function saveAlias(
  viewer: Viewer,
  input: AliasInput,
  id?: string,
  scope: GatewayScope = "workspace",
): Promise<{ id: string }> {
  const owner = await mayChange(viewer, scope);
  const prisma = await db();
  const workspaceId = owner.workspaceId;
  const providers = await prisma.modelProvider.findMany({
    where: { workspaceId, id: { in: input.deployments.map((d) => d.providerId) } },
    select: { id: true },
  });
  const known = new Set(providers.map((p) => p.id));
  const missing = input.deployments.findIndex((d) => !known.has(d.providerId));
  if (missing >= 0)
    throw new AppError(
      "bad_request",
      `deployments.${missing}.providerId: no such provider ${workspaceId ? "in this workspace" : "in the organization"}.`,
      {
        fields: [{ path: `body.deployments.${missing}.providerId`, message: "no such provider" }],
      },
    );
  // An organization model's people are named per team, on its grants.
  if (!workspaceId && input.allowedUserIds.length)
    throw new AppError("bad_request", "allowedUserIds: name people on a team's grant, not on an organization model.", {
      fields: [{ path: "body.allowedUserIds", message: "set per team" }],
    });
  if (workspaceId && input.allowedUserIds.length) {
    const members = await prisma.membership.count({ where: { workspaceId, userId: { in: input.allowedUserIds } } });
    if (members !== new Set(input.allowedUserIds).size)
      throw new AppError("bad_request", "allowedUserIds: everyone given access must be a member of this workspace.", {
        fields: [{ path: "body.allowedUserIds", message: "not all members" }],
      });
  }
  // A team's own model may not take the name of one the organization granted it.
  if (workspaceId && (await prisma.modelGrant.findFirst({ where: { workspaceId, name: input.name } })))
    throw new AppError(
      "conflict",
      `The organization grants this workspace a model named “${input.name}”; pick another name.`,
      { fields: [{ path: "body.name", message: "a granted model has this name" }] },
    );
  if (id && !workspaceId) {
    const before = await prisma.modelAlias.findFirst({ where: { id, workspaceId: null }, select: { name: true } });
    if (before && before.name !== input.name) await refuseIfJudge(before.name, "renamed");
  }
  const { deployments, ...fields } = input;
  const rows = deployments.map((d, position) => ({ ...d, position }));
  let alias;
  try {
    alias = await prisma.$transaction(async (tx) => {
      if (id) {
        const existing = await tx.modelAlias.findFirst({ where: { id, workspaceId } });
        if (!existing) throw notFound("Model");
        await tx.modelDeployment.deleteMany({ where: { aliasId: id } });
        return tx.modelAlias.update({ where: { id }, data: { ...fields, deployments: { create: rows } } });
      }
      return tx.modelAlias.create({ data: { ...fields, workspaceId, deployments: { create: rows } } });
    });
  } catch (error) {
    conflictOnDuplicate(error, `A model named “${input.name}”`);
  }
  await recordAudit(prisma, {
    workspaceId: owner.auditWorkspaceId,
    actorId: viewer.user.id,
    action: id ? "gateway.model.update" : "gateway.model.create",
    targetType: "ModelAlias",
    targetId: alias.id,
    after: {
      ...fields,
      deployments: rows.map((d) => ({ providerId: d.providerId, modelId: d.modelId, weight: d.weight })),
      scope,
    },
  });
  await owner.changed();
  return { id: alias.id };
}

export async function deleteAlias(viewer: Viewer, id: string, scope: GatewayScope = "workspace"): Promise<void> {
  const owner = await mayChange(viewer, scope);
  const prisma = await db();
  const row = await prisma.modelAlias.findFirst({ where: { id, workspaceId: owner.workspaceId } });
  if (!row) throw notFound("Model");
  if (!owner.workspaceId) await refuseIfJudge(row.name, "removed");
  await prisma.modelAlias.delete({ where: { id } });
  await recordAudit(prisma, {
    workspaceId: owner.auditWorkspaceId,
    actorId: viewer.user.id,
    action: "gateway.model.delete",
    targetType: "ModelAlias",
    targetId: id,
    before: { name: row.name, scope },
  });
  await owner.changed();
}
