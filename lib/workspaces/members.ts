import "server-only";
import { apiKeysChanged } from "../auth/api-keys";
import { db } from "../db/client";
import { recordAudit } from "../audit/record";
import { hashPassword } from "../auth/password";
import { assertStrongPassword } from "../auth/password-strength";
import { endAllSessions } from "../auth/sessions";
import { AppError, notFound } from "../errors/app-error";
import type { CreateMemberInput, MemberView, UpdateMemberInput } from "../schemas/identity";
import { asShown } from "./member-names";

type Actor = { workspaceId: string; userId: string };

const view = (m: {
  id: string;
  role: MemberView["role"];
  status: MemberView["status"];
  createdAt: Date;
  addedAs: string | null;
  joinedAt: Date | null;
  user: { id: string; name: string; email: string; lastSignInAt: Date | null };
}): MemberView => {
  const shown = asShown(m, m.user);
  return {
    id: m.id,
    userId: m.user.id,
    name: shown.name,
    email: m.user.email,
    role: m.role,
    status: m.status,
    lastSignInAt: shown.lastSignInAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
  };
};

const withUser = { user: { select: { id: true, name: true, email: true, lastSignInAt: true } } } as const;

export async function listMembers(workspaceId: string): Promise<MemberView[]> {
  const prisma = await db();
  const rows = await prisma.membership.findMany({
    where: { workspaceId },
    include: withUser,
    orderBy: { createdAt: "asc" },
  });
  return rows.map(view);
}

/**
 * Adds a person to the workspace with a password the admin hands over. The answer must not
 * tell the admin whether the email already has an account on this installation (another
 * workspace's people are not theirs to discover): when it does, that person joins with their
 * own password, the one given here is dropped, and the answer is built from the admin's input
 * exactly as for a new account. So is the workspace's view of them until they first sign in or
 * open it (./member-names.ts): the name typed here, no last sign-in.
 */
export async function createMember(actor: Actor, input: CreateMemberInput): Promise<MemberView> {
  const prisma = await db();
  const existing = await prisma.user.findUnique({
    where: { email: input.email },
    include: { memberships: { where: { workspaceId: actor.workspaceId }, select: { id: true } } },
  });
  if (existing?.memberships.length) {
    throw new AppError("conflict", `${input.email} is already a member of this workspace.`, {
      fields: [{ path: "body.email", message: "already a member" }],
    });
  }
  // Checked (and hashed) either way, so the answer and its timing do not depend on the account.
  await assertStrongPassword(input.password, [input.email, input.name], "body.password");
  const passwordHash = await hashPassword(input.password);
  const membership = await prisma.$transaction(async (tx) => {
    const user = existing ?? (await tx.user.create({ data: { email: input.email, name: input.name, passwordHash } }));
    const m = await tx.membership.create({
      data: { userId: user.id, workspaceId: actor.workspaceId, role: input.role, addedAs: input.name, joinedAt: null },
    });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "member.create",
      targetType: "Membership",
      targetId: m.id,
      after: { email: input.email, role: input.role },
    });
    return m;
  });
  return view({
    ...membership,
    user: { id: membership.userId, name: input.name, email: input.email, lastSignInAt: null },
  });
}

/**
 * Changes a member's role or status. Nobody changes their own: so the admin making the change
 * stays an active admin, and a workspace can never lose its last one.
 */
export async function updateMember(actor: Actor, membershipId: string, input: UpdateMemberInput): Promise<MemberView> {
  const prisma = await db();
  const updated = await prisma.$transaction(async (tx) => {
    const before = await tx.membership.findFirst({
      where: { id: membershipId, workspaceId: actor.workspaceId },
      include: withUser,
    });
    if (!before) throw notFound("Member");
    if (before.userId === actor.userId) {
      throw new AppError("bad_request", "You cannot change your own role or status; ask another admin.");
    }
    const after = await tx.membership.update({ where: { id: membershipId }, data: input, include: withUser });
    // Removed from the workspace: closed to them at once (every request reads their memberships
    // anew); signed out everywhere (copied cookies included) when no other workspace has them. A
    // person who still belongs elsewhere keeps their sessions there: one workspace's admin may not
    // sign out the people of another.
    if (before.status === "ACTIVE" && after.status === "DEACTIVATED") {
      const elsewhere = await tx.membership.count({
        where: { userId: before.userId, status: "ACTIVE", workspaceId: { not: actor.workspaceId } },
      });
      if (elsewhere === 0) await endAllSessions(tx, before.userId);
    }
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "member.update",
      targetType: "Membership",
      targetId: membershipId,
      before: { role: before.role, status: before.status },
      after: { role: after.role, status: after.status },
    });
    return view(after);
  });
  await apiKeysChanged(); // keys act with the member's role and status now
  return updated;
}
