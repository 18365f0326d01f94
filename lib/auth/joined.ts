import "server-only";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";

/**
 * The person signed in (all their workspaces) or works in a workspace: from now on it shows them
 * as themselves, not as the admin who added them typed them (lib/workspaces/member-names.ts).
 * Only memberships not joined yet are written, so this is a write once per membership. `client`:
 * a transaction to write in (accepting an invitation).
 */
export async function markJoined(
  userId: string,
  workspaceId?: string,
  client?: Prisma.TransactionClient,
): Promise<void> {
  await (client ?? (await db())).membership.updateMany({
    where: { userId, joinedAt: null, ...(workspaceId && { workspaceId }) },
    data: { joinedAt: new Date() },
  });
}
