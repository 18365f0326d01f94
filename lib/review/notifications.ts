import "server-only";
import type { Viewer } from "../auth/session";
import { db } from "../db/client";

/** This person's in-app notifications in this workspace, newest first. */
export async function listNotifications(viewer: Viewer, take = 30) {
  const prisma = await db();
  const rows = await prisma.notification.findMany({
    where: { userId: viewer.user.id, workspaceId: viewer.workspace.id },
    orderBy: { createdAt: "desc" },
    take,
  });
  return {
    unread: await unreadNotifications(viewer),
    items: rows.map((n) => ({
      id: n.id,
      kind: n.kind,
      title: n.title,
      body: n.body,
      link: n.link,
      read: !!n.readAt,
      createdAt: n.createdAt.toISOString(),
    })),
  };
}

export async function unreadNotifications(viewer: Viewer): Promise<number> {
  const prisma = await db();
  return prisma.notification.count({
    where: { userId: viewer.user.id, workspaceId: viewer.workspace.id, readAt: null },
  });
}

/** Marks some (or all) of this person's notifications read. */
export async function markNotificationsRead(viewer: Viewer, ids: string[] | "all"): Promise<{ unread: number }> {
  const prisma = await db();
  await prisma.notification.updateMany({
    where: {
      userId: viewer.user.id,
      workspaceId: viewer.workspace.id,
      readAt: null,
      ...(ids === "all" ? {} : { id: { in: ids } }),
    },
    data: { readAt: new Date() },
  });
  return { unread: await unreadNotifications(viewer) };
}
