import "server-only";
import { db } from "../db/client";

/**
 * The person signed in (all their workspaces) or works in a workspace: from now on it shows them
 * as themselves, not as the admin who added them typed them (lib/workspaces/member-names.ts).
 * Only memberships not joined yet are written, so this is a write once per membership.
 */
export async function markJoined(userId: string, workspaceId?: string): Promise<void> {
  const prisma = await db();
  await prisma.membership.updateMany({
    where: { userId, joinedAt: null, ...(workspaceId && { workspaceId }) },
    data: { joinedAt: new Date() },
  });
}
