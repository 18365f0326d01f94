import "server-only";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";

/**
 * Sign-ins as rows (UserSession), so a session can end before its cookie does: the cookie is a
 * JWT naming its row (`sid`), and `currentViewer` accepts it only while the row is open. No
 * cache: the row is read with the user on every request, so an ended session stops working in
 * every process at once.
 */

/** No session lives longer than this from its sign-in, however often its cookie is renewed. */
export const SESSION_LIFETIME_MS = 30 * 24 * 3600 * 1000;

type Client = Prisma.TransactionClient;

/** A new session for this person, at sign-in; their expired and ended ones are cleared away. */
export async function startSession(userId: string): Promise<string> {
  const prisma = await db();
  await prisma.userSession.deleteMany({
    where: {
      userId,
      OR: [{ endedAt: { not: null } }, { createdAt: { lt: new Date(Date.now() - SESSION_LIFETIME_MS) } }],
    },
  });
  return (await prisma.userSession.create({ data: { userId } })).id;
}

/** Ends one session (sign-out). */
export async function endSession(sessionId: string): Promise<void> {
  const prisma = await db();
  await prisma.userSession.updateMany({ where: { id: sessionId, endedAt: null }, data: { endedAt: new Date() } });
}

/** Ends every session of a person (a password change, deactivation), in the caller's transaction. */
export async function endAllSessions(tx: Client, userId: string): Promise<void> {
  await tx.userSession.updateMany({ where: { userId, endedAt: null }, data: { endedAt: new Date() } });
}

/** The Prisma filter for "this session, still open". */
export const openSession = (sessionId: string) => ({
  id: sessionId,
  endedAt: null,
  createdAt: { gt: new Date(Date.now() - SESSION_LIFETIME_MS) },
});
