import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "../db/client";
import { notifiedCache } from "../platform/notified-cache";
import { recordAudit } from "../audit/record";
import { notFound } from "../errors/app-error";
import type { ApiKeyView, CreateApiKeyInput } from "../schemas/api-key";
import { applicationViewer, hash, PREFIX, view } from "./key-format";
import type { Viewer } from "./session";

/**
 * Personal API keys for integrations. A key acts as its owner in the workspace it was made in,
 * with the owner's role there now (a deactivated member's keys stop working with them). Only
 * the SHA-256 of a key is stored; the key is shown once, when it is made.
 */
export async function createApiKey(viewer: Viewer, input: CreateApiKeyInput): Promise<ApiKeyView & { key: string }> {
  const prisma = await db();
  const key = `${PREFIX}${randomBytes(24).toString("base64url")}`;
  const row = await prisma.apiKey.create({
    data: {
      userId: viewer.user.id,
      workspaceId: viewer.workspace.id,
      name: input.name,
      prefix: `${key.slice(0, 8)}…`,
      keyHash: hash(key),
    },
  });
  await recordAudit(prisma, {
    workspaceId: viewer.workspace.id,
    actorId: viewer.user.id,
    action: "api_key.create",
    targetType: "ApiKey",
    targetId: row.id,
    after: { name: input.name },
  });
  return { ...view(row), key };
}

export async function listApiKeys(viewer: Viewer): Promise<ApiKeyView[]> {
  const prisma = await db();
  const rows = await prisma.apiKey.findMany({
    where: { userId: viewer.user.id, workspaceId: viewer.workspace.id, revokedAt: null, kind: "PERSONAL" },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(view);
}

export async function revokeApiKey(viewer: Viewer, id: string): Promise<void> {
  const prisma = await db();
  const res = await prisma.apiKey.updateMany({
    where: { id, userId: viewer.user.id, workspaceId: viewer.workspace.id, revokedAt: null, kind: "PERSONAL" },
    data: { revokedAt: new Date() },
  });
  if (res.count === 0) throw notFound("API key");
  await apiKeysChanged();
  await recordAudit(prisma, {
    workspaceId: viewer.workspace.id,
    actorId: viewer.user.id,
    action: "api_key.revoke",
    targetType: "ApiKey",
    targetId: id,
  });
}

/**
 * Who a key stands for is kept in memory for a few seconds (integrations call often); revoking
 * a key or changing a membership drops it here and, by NOTIFY, in every other process.
 */
const keys = notifiedCache({ name: "api-keys", channel: "apiKeys", ttlMs: 5_000, load: lookUp });

/** After a key is revoked or a membership changes: every process forgets what keys stood for. */
export async function apiKeysChanged(): Promise<void> {
  await keys.invalidate();
}

/** The viewer a bearer key stands for, or null for an unknown, revoked or orphaned key. */
export async function viewerFromApiKey(key: string): Promise<Viewer | null> {
  if (!key.startsWith(PREFIX) || key.length > 200) return null;
  return keys.get(hash(key));
}

async function lookUp(keyHash: string): Promise<Viewer | null> {
  const prisma = await db();
  const row = await prisma.apiKey.findUnique({ where: { keyHash }, include: { user: true, workspace: true } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) return null;
  // "Last used" to the minute is enough; not a write on every call.
  const used = () => {
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000)
      void prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
  };
  if (row.kind === "APPLICATION") {
    used();
    return applicationViewer(row);
  }
  const membership = await prisma.membership.findUnique({
    where: { userId_workspaceId: { userId: row.userId, workspaceId: row.workspaceId } },
  });
  if (!membership || membership.status !== "ACTIVE") return null;
  used();
  return {
    user: { id: row.user.id, email: row.user.email, name: row.user.name },
    workspaces: [{ id: row.workspaceId, name: row.workspace.name, role: membership.role }],
    workspace: { id: row.workspaceId, name: row.workspace.name },
    role: membership.role,
    apiKeyId: row.id,
  };
}

/** The key of an `Authorization: Bearer …` header, if any. */
export function bearerKey(header: string | null): string | null {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match ? match[1]! : null;
}
