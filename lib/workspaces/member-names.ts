import "server-only";
import { db } from "../db/client";

/**
 * How a member appears to the rest of their workspace (the members list, reviewers to hand a
 * review to, whoever holds one). An admin who adds a person by email must learn nothing of an
 * account that email already had elsewhere on this installation: until the person first signs
 * in or opens the workspace (`joinedAt`), they are shown as the admin typed them, with no last
 * sign-in, exactly like someone whose account was made just then.
 */
export function asShown(
  membership: { addedAs: string | null; joinedAt: Date | null },
  user: { name: string; lastSignInAt: Date | null },
): { name: string; lastSignInAt: Date | null } {
  if (membership.joinedAt) return { name: user.name, lastSignInAt: user.lastSignInAt };
  return { name: membership.addedAs ?? user.name, lastSignInAt: null };
}

export const shownFields = {
  addedAs: true,
  joinedAt: true,
  user: { select: { name: true, lastSignInAt: true } },
} as const;

/** People's names as this workspace shows them, by user id (someone not in it: their own name). */
export async function namesIn(
  workspaceId: string,
  userIds: (string | null | undefined)[],
): Promise<Map<string, string>> {
  const ids = [...new Set(userIds.filter((id): id is string => !!id))];
  if (!ids.length) return new Map();
  const prisma = await db();
  const rows = await prisma.membership.findMany({
    where: { workspaceId, userId: { in: ids } },
    select: { userId: true, ...shownFields },
  });
  const names = new Map(rows.map((m) => [m.userId, asShown(m, m.user).name]));
  const others = ids.filter((id) => !names.has(id));
  if (others.length)
    for (const u of await prisma.user.findMany({ where: { id: { in: others } }, select: { id: true, name: true } }))
      names.set(u.id, u.name);
  return names;
}

/** One person's name as this workspace shows them (null: no such person). */
export async function nameIn(workspaceId: string, userId: string): Promise<string | null> {
  return (await namesIn(workspaceId, [userId])).get(userId) ?? null;
}
