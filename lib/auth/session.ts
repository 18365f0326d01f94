import "server-only";
import { cookies } from "next/headers";
import { getServerSession } from "next-auth";
import { db } from "../db/client";
import type { KeyLimits } from "../schemas/api-key";
import type { Role } from "../schemas/identity";
import { authOptions } from "./options";
import { openSession } from "./sessions";
import { markJoined } from "./joined";

export const WORKSPACE_COOKIE = "flowdeck-workspace";

export interface Viewer {
  user: { id: string; email: string; name: string };
  /** The workspaces this person is an active member of. */
  workspaces: { id: string; name: string; role: Role }[];
  /** The one they are working in now (cookie, else the oldest membership). */
  workspace: { id: string; name: string };
  role: Role;
  /** Set when the request was authenticated by a personal API key rather than a session. */
  apiKeyId?: string;
  /** An application key's own limits at the gateway (models, budget, rate); absent for a person or a personal key. */
  applicationKey?: KeyLimits;
}

/**
 * Who is asking, read fresh from the database on every request: a deactivated member, a removed
 * user or an ended session (signed out, password changed) loses access at once, whatever the
 * cookie says.
 */
export async function currentViewer(): Promise<Viewer | null> {
  const session = await getServerSession(authOptions());
  const userId = (session?.user as { id?: string } | undefined)?.id;
  const sessionId = (session as { sid?: string } | null)?.sid;
  if (!userId || !sessionId) return null;
  const prisma = await db();
  const user = await prisma.user.findUnique({
    where: { id: userId },
    include: {
      memberships: { where: { status: "ACTIVE" }, include: { workspace: true }, orderBy: { createdAt: "asc" } },
      sessions: { where: openSession(sessionId), select: { id: true } },
    },
  });
  if (!user || user.memberships.length === 0 || user.sessions.length === 0) return null;
  const wanted = (await cookies()).get(WORKSPACE_COOKIE)?.value;
  const current = user.memberships.find((m) => m.workspaceId === wanted) ?? user.memberships[0]!;
  // Working in a workspace an admin added them to (without signing in again): they have joined it.
  if (current.joinedAt === null) await markJoined(user.id, current.workspaceId);
  return {
    user: { id: user.id, email: user.email, name: user.name },
    workspaces: user.memberships.map((m) => ({ id: m.workspaceId, name: m.workspace.name, role: m.role })),
    workspace: { id: current.workspaceId, name: current.workspace.name },
    role: current.role,
  };
}
