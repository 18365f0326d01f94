import "server-only";
import { randomBytes } from "node:crypto";
import { recordAudit } from "../audit/record";
import { db } from "../db/client";
import { notFound } from "../errors/app-error";
import { applicationKeyInputSchema, type ApplicationKeyInput, type ApplicationKeyView } from "../schemas/api-key";
import { apiKeysChanged } from "./api-keys";
import { applicationView, hash, PREFIX } from "./key-format";
import type { Viewer } from "./session";

/**
 * Application keys: API keys a workspace owns, for services and integrations, made by its
 * admins. Each has its own role, the models it may call, a budget, a rate limit and an expiry,
 * and keeps working whoever made it (until revoked or expired). Shown once, stored as a hash.
 */
/** A key's limits, as stored. */
const limitsOf = (data: ReturnType<typeof applicationKeyInputSchema.parse>) => ({
  role: data.role,
  models: data.models,
  budgetUsd: data.budgetUsd,
  budgetPeriod: data.budgetPeriod,
  rpm: data.rpm,
  expiresAt: data.expiresAt ? new Date(data.expiresAt) : null,
});

export async function createApplicationKey(
  viewer: Viewer,
  input: ApplicationKeyInput,
): Promise<ApplicationKeyView & { key: string }> {
  const data = applicationKeyInputSchema.parse(input);
  const prisma = await db();
  const key = `${PREFIX}${randomBytes(24).toString("base64url")}`;
  const row = await prisma.$transaction(async (tx) => {
    const made = await tx.apiKey.create({
      data: {
        kind: "APPLICATION",
        userId: viewer.user.id,
        workspaceId: viewer.workspace.id,
        name: data.name,
        prefix: `${key.slice(0, 8)}…`,
        keyHash: hash(key),
        ...limitsOf(data),
      },
      include: { user: true },
    });
    await recordAudit(tx, {
      workspaceId: viewer.workspace.id,
      actorId: viewer.user.id,
      action: "application_key.create",
      targetType: "ApiKey",
      targetId: made.id,
      after: { ...data },
    });
    return made;
  });
  return { ...applicationView(row), key };
}

export async function listApplicationKeys(viewer: Viewer): Promise<ApplicationKeyView[]> {
  const rows = await (
    await db()
  ).apiKey.findMany({
    where: { workspaceId: viewer.workspace.id, kind: "APPLICATION", revokedAt: null },
    include: { user: true },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(applicationView);
}

export async function revokeApplicationKey(viewer: Viewer, id: string): Promise<void> {
  const prisma = await db();
  const res = await prisma.apiKey.updateMany({
    where: { id, workspaceId: viewer.workspace.id, kind: "APPLICATION", revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (res.count === 0) throw notFound("Application key");
  await apiKeysChanged();
  await recordAudit(prisma, {
    workspaceId: viewer.workspace.id,
    actorId: viewer.user.id,
    action: "application_key.revoke",
    targetType: "ApiKey",
    targetId: id,
  });
}

/** Changes an application key's name, role, models, budget, rate or expiry: at once, in every process. */
export async function updateApplicationKey(
  viewer: Viewer,
  id: string,
  input: ApplicationKeyInput,
): Promise<ApplicationKeyView> {
  const data = applicationKeyInputSchema.parse(input);
  const prisma = await db();
  const row = await prisma.$transaction(async (tx) => {
    const before = await tx.apiKey.findFirst({
      where: { id, workspaceId: viewer.workspace.id, kind: "APPLICATION", revokedAt: null },
    });
    if (!before) throw notFound("Application key");
    const after = await tx.apiKey.update({
      where: { id },
      data: { name: data.name, ...limitsOf(data) },
      include: { user: true },
    });
    await recordAudit(tx, {
      workspaceId: viewer.workspace.id,
      actorId: viewer.user.id,
      action: "application_key.update",
      targetType: "ApiKey",
      targetId: id,
      before: {
        name: before.name,
        role: before.role,
        models: before.models,
        budgetUsd: before.budgetUsd,
        budgetPeriod: before.budgetPeriod,
        rpm: before.rpm,
        expiresAt: before.expiresAt?.toISOString() ?? null,
      },
      after: { ...data },
    });
    return after;
  });
  // Every process drops what it knew of the key: the new limits hold from the next call.
  await apiKeysChanged();
  return applicationView(row);
}
