import { createHash } from "node:crypto";
import type { ApiKey, User, Workspace } from "../db/generated/client";
import type { ApiKeyView, ApplicationKeyView } from "../schemas/api-key";
import type { Viewer } from "./session";

/** How keys look and are kept, personal and application keys alike: shown once, stored as a SHA-256. */
export const PREFIX = "fdk_";
export const hash = (key: string) => createHash("sha256").update(key).digest("hex");
export const view = (k: {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}): ApiKeyView => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
});

export const applicationView = (row: ApiKey & { user: User }): ApplicationKeyView => ({
  ...view(row),
  role: row.role ?? "BUILDER",
  models: row.models,
  budgetUsd: row.budgetUsd,
  budgetPeriod: row.budgetPeriod,
  rpm: row.rpm,
  expiresAt: row.expiresAt?.toISOString() ?? null,
  createdByName: row.user.name,
});

/**
 * Who an application key stands for: the service, named after the key, with the key's role in
 * its workspace and its limits at the gateway. (Its runs and calls are recorded against the
 * admin who made it, as their `startedBy`, and against the key.)
 */
export function applicationViewer(row: ApiKey & { user: User; workspace: Workspace }): Viewer {
  const role = row.role ?? "BUILDER";
  return {
    user: { id: row.user.id, email: row.user.email, name: `Application key “${row.name}”` },
    workspaces: [{ id: row.workspaceId, name: row.workspace.name, role }],
    workspace: { id: row.workspaceId, name: row.workspace.name },
    role,
    apiKeyId: row.id,
    applicationKey: {
      id: row.id,
      name: row.name,
      models: row.models,
      budgetUsd: row.budgetUsd,
      budgetPeriod: row.budgetPeriod,
      rpm: row.rpm,
    },
  };
}
