import "server-only";
import type { Viewer } from "../auth/session";
import { recordAudit } from "../audit/record";
import { derivedKey } from "../config/secrets";
import { lastFour, open, seal } from "../crypto/secret-box";
import { db } from "../db/client";
import { AppError, notFound } from "../errors/app-error";
import { providerDestination, sameDestination } from "../schemas/destination";
import type { AliasInput, AliasView, LimitsInput, LimitsView, ProviderInput, ProviderView } from "../schemas/gateway";
import { periodStart } from "./budget";
import { gatewayChanged } from "./config";
import { coolingDown } from "./routing";

/**
 * What admins change in the gateway: providers (keys sealed at rest, shown as their last four
 * characters only), model aliases with their deployments, limits and budgets. Every change
 * is audited and reaches every process at once (gatewayChanged).
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
  if ((error as { code?: string }).code === "P2002")
    throw new AppError("conflict", `${what} already exists; pick another name.`, {
      fields: [{ path: "body.name", message: "already in use" }],
    });
  throw error;
}

export async function listProviders(viewer: Viewer): Promise<ProviderView[]> {
  const prisma = await db();
  const rows = await prisma.modelProvider.findMany({
    where: { workspaceId: viewer.workspace.id },
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

export async function saveProvider(viewer: Viewer, input: ProviderInput, id?: string): Promise<{ id: string }> {
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
      const existing = await prisma.modelProvider.findFirst({ where: { id, workspaceId: viewer.workspace.id } });
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
      row = await prisma.modelProvider.create({ data: { ...data, workspaceId: viewer.workspace.id } });
    }
  } catch (error) {
    conflictOnDuplicate(error, `A provider named “${input.name}”`);
  }
  await recordAudit(prisma, {
    workspaceId: viewer.workspace.id,
    actorId: viewer.user.id,
    action: id ? "gateway.provider.update" : "gateway.provider.create",
    targetType: "ModelProvider",
    targetId: row.id,
    after: { name: input.name, kind: input.kind, baseUrl: input.baseUrl, keyChanged: !!input.apiKey },
  });
  await gatewayChanged(viewer.workspace.id);
  return { id: row.id };
}

export async function deleteProvider(viewer: Viewer, id: string): Promise<void> {
  const prisma = await db();
  const row = await prisma.modelProvider.findFirst({
    where: { id, workspaceId: viewer.workspace.id },
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
    workspaceId: viewer.workspace.id,
    actorId: viewer.user.id,
    action: "gateway.provider.delete",
    targetType: "ModelProvider",
    targetId: id,
    before: { name: row.name },
  });
  await gatewayChanged(viewer.workspace.id);
}

/** "Test connection": lists the provider's models with its key; records the outcome. */
export async function testProvider(
  viewer: Viewer,
  id: string,
): Promise<{ ok: boolean; message: string; models: string[] }> {
  const prisma = await db();
  const row = await prisma.modelProvider.findFirst({ where: { id, workspaceId: viewer.workspace.id } });
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
    const res = await fetch(`${base}/models`, { headers, signal: AbortSignal.timeout(10_000) });
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

export async function listAliases(viewer: Viewer): Promise<AliasView[]> {
  const prisma = await db();
  const rows = await prisma.modelAlias.findMany({
    where: { workspaceId: viewer.workspace.id },
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

export async function saveAlias(viewer: Viewer, input: AliasInput, id?: string): Promise<{ id: string }> {
  const prisma = await db();
  const workspaceId = viewer.workspace.id;
  const providers = await prisma.modelProvider.findMany({
    where: { workspaceId, id: { in: input.deployments.map((d) => d.providerId) } },
    select: { id: true },
  });
  const known = new Set(providers.map((p) => p.id));
  const missing = input.deployments.findIndex((d) => !known.has(d.providerId));
  if (missing >= 0)
    throw new AppError("bad_request", `deployments.${missing}.providerId: no such provider in this workspace.`, {
      fields: [{ path: `body.deployments.${missing}.providerId`, message: "no such provider" }],
    });
  if (input.allowedUserIds.length) {
    const members = await prisma.membership.count({ where: { workspaceId, userId: { in: input.allowedUserIds } } });
    if (members !== new Set(input.allowedUserIds).size)
      throw new AppError("bad_request", "allowedUserIds: everyone given access must be a member of this workspace.", {
        fields: [{ path: "body.allowedUserIds", message: "not all members" }],
      });
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
    workspaceId,
    actorId: viewer.user.id,
    action: id ? "gateway.model.update" : "gateway.model.create",
    targetType: "ModelAlias",
    targetId: alias.id,
    after: {
      ...fields,
      deployments: rows.map((d) => ({ providerId: d.providerId, modelId: d.modelId, weight: d.weight })),
    },
  });
  await gatewayChanged(workspaceId);
  return { id: alias.id };
}

export async function deleteAlias(viewer: Viewer, id: string): Promise<void> {
  const prisma = await db();
  const row = await prisma.modelAlias.findFirst({ where: { id, workspaceId: viewer.workspace.id } });
  if (!row) throw notFound("Model");
  await prisma.modelAlias.delete({ where: { id } });
  await recordAudit(prisma, {
    workspaceId: viewer.workspace.id,
    actorId: viewer.user.id,
    action: "gateway.model.delete",
    targetType: "ModelAlias",
    targetId: id,
    before: { name: row.name },
  });
  await gatewayChanged(viewer.workspace.id);
}

export async function getLimits(viewer: Viewer): Promise<LimitsView> {
  const prisma = await db();
  const row = await prisma.gatewaySettings.findUnique({ where: { workspaceId: viewer.workspace.id } });
  const limits: LimitsInput = row
    ? {
        userRpm: row.userRpm,
        userTpm: row.userTpm,
        workspaceRpm: row.workspaceRpm,
        workspaceTpm: row.workspaceTpm,
        workspaceBudgetUsd: row.workspaceBudgetUsd,
        userBudgetUsd: row.userBudgetUsd,
        budgetPeriod: row.budgetPeriod,
      }
    : {
        userRpm: null,
        userTpm: null,
        workspaceRpm: null,
        workspaceTpm: null,
        workspaceBudgetUsd: null,
        userBudgetUsd: null,
        budgetPeriod: "MONTH",
      };
  const start = periodStart(limits.budgetPeriod);
  const usage = await prisma.budgetUsage.findUnique({
    where: { key_periodStart: { key: `ws:${viewer.workspace.id}`, periodStart: start } },
  });
  return { ...limits, spent: { workspaceUsd: usage?.spentUsd ?? 0, periodStart: start.toISOString() } };
}

export async function saveLimits(viewer: Viewer, input: LimitsInput): Promise<void> {
  const prisma = await db();
  const before = await prisma.gatewaySettings.findUnique({ where: { workspaceId: viewer.workspace.id } });
  await prisma.gatewaySettings.upsert({
    where: { workspaceId: viewer.workspace.id },
    create: { workspaceId: viewer.workspace.id, ...input },
    update: input,
  });
  await recordAudit(prisma, {
    workspaceId: viewer.workspace.id,
    actorId: viewer.user.id,
    action: "gateway.limits.update",
    targetType: "GatewaySettings",
    targetId: viewer.workspace.id,
    before: before ?? undefined,
    after: input,
  });
  await gatewayChanged(viewer.workspace.id);
}
