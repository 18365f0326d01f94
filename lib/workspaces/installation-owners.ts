import "server-only";
import type { Viewer } from "../auth/session";
import { recordAudit } from "../audit/record";
import { db } from "../db/client";
import { AppError, notFound } from "../errors/app-error";
import type { InstallationOwnersView } from "../schemas/identity";

/**
 * Installation owners configure what runs on the host (stdio MCP servers): whoever can do that
 * can read the studio's own files and processes, so it belongs to the people who run the
 * installation, not to any workspace's admins. The first admin is one (set at setup); an owner
 * names others among the members of a workspace they share.
 */
export async function isInstallationOwner(userId: string): Promise<boolean> {
  const prisma = await db();
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { installationOwner: true } });
  return user?.installationOwner === true;
}

/** Throws 403 naming what needs an owner, and why, unless the viewer is one. */
export async function requireInstallationOwner(
  viewer: Viewer,
  what: string,
  why = "it runs commands on the studio's machine",
): Promise<void> {
  if (await isInstallationOwner(viewer.user.id)) return;
  throw new AppError("forbidden", `Only installation owners may ${what}: ${why}. Ask an installation owner.`);
}

/** Which members of the viewer's workspace are owners (never anyone outside it), and whether the viewer is. */
export async function installationOwners(viewer: Viewer): Promise<InstallationOwnersView> {
  const prisma = await db();
  const owners = await prisma.user.findMany({
    // Members who have joined: an owner an admin just added by email is not revealed as one.
    where: {
      installationOwner: true,
      memberships: { some: { workspaceId: viewer.workspace.id, joinedAt: { not: null } } },
    },
    select: { id: true },
  });
  return { viewerIsOwner: await isInstallationOwner(viewer.user.id), ownerUserIds: owners.map((o) => o.id) };
}

/**
 * An owner names (or un-names) a member of their current workspace an installation owner.
 * Nobody changes their own flag, so the installation never loses its last owner this way.
 */
export async function setInstallationOwner(viewer: Viewer, userId: string, owner: boolean): Promise<void> {
  await requireInstallationOwner(viewer, "name installation owners");
  if (userId === viewer.user.id)
    throw new AppError("bad_request", "You cannot change your own installation-owner flag; ask another owner.");
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const member = await tx.membership.findFirst({
      where: { userId, workspaceId: viewer.workspace.id },
      include: { user: { select: { installationOwner: true } } },
    });
    if (!member) throw notFound("Member");
    await tx.user.update({ where: { id: userId }, data: { installationOwner: owner } });
    await recordAudit(tx, {
      workspaceId: viewer.workspace.id,
      actorId: viewer.user.id,
      action: "installation.owner",
      targetType: "User",
      targetId: userId,
      before: { installationOwner: member.user.installationOwner },
      after: { installationOwner: owner },
    });
  });
}
