import "server-only";
import type { Viewer } from "../auth/session";
import { db } from "../db/client";
import { AppError } from "../errors/app-error";
import { requireInstallationOwner } from "../workspaces/installation-owners";
import { everyGatewayChanged, gatewayChanged } from "./config";

/**
 * Whose providers and models an admin change is about: the organization's (installation owners;
 * every workspace's gateway is read afresh) or one workspace's own, only where the organization
 * lets it bring its own keys (`GatewaySettings.ownProviders`).
 */
export type GatewayScope = "workspace" | "organization";

export interface Owner {
  /** null: the organization's. */
  workspaceId: string | null;
  /** Where the audit row goes. */
  auditWorkspaceId: string | null;
  changed: () => Promise<void>;
}

export const ORGANIZATION = "they serve every team's model calls";

export function ownerOf(viewer: Viewer, scope: GatewayScope): Owner {
  return scope === "organization"
    ? { workspaceId: null, auditWorkspaceId: null, changed: everyGatewayChanged }
    : {
        workspaceId: viewer.workspace.id,
        auditWorkspaceId: viewer.workspace.id,
        changed: () => gatewayChanged(viewer.workspace.id),
      };
}

/** May the viewer change providers and models of this scope? Throws 403 saying who may. */
export async function mayChange(viewer: Viewer, scope: GatewayScope): Promise<Owner> {
  if (scope === "organization") {
    await requireInstallationOwner(viewer, "change the organization's providers and models", ORGANIZATION);
  } else if (!(await ownsProviders(viewer.workspace.id))) {
    throw new AppError(
      "forbidden",
      `${viewer.workspace.name} uses the organization's models: its own providers and models need “bring your own key”, which an installation owner allows under Organization → Teams.`,
    );
  }
  return ownerOf(viewer, scope);
}

/** Whether the organization lets this workspace connect providers of its own. */
export async function ownsProviders(workspaceId: string): Promise<boolean> {
  const prisma = await db();
  const row = await prisma.gatewaySettings.findUnique({ where: { workspaceId }, select: { ownProviders: true } });
  return row?.ownProviders === true;
}
