import "server-only";
import { apiKeysChanged } from "../auth/api-keys";
import { db } from "../db/client";
import { recordAudit } from "../audit/record";
import { hashPassword } from "../auth/password";
import { AppError, notFound } from "../errors/app-error";
import type { CreateMemberInput, MemberView, UpdateMemberInput } from "../schemas/identity";

type Actor = { workspaceId: string; userId: string };

const view = (m: {
  id: string;
  role: MemberView["role"];
  status: MemberView["status"];
  createdAt: Date;
  user: { id: string; name: string; email: string; lastSignInAt: Date | null };
}): MemberView => ({
  id: m.id,
  userId: m.user.id,
  name: m.user.name,
  email: m.user.email,
  role: m.role,
  status: m.status,
  lastSignInAt: m.user.lastSignInAt?.toISOString() ?? null,
  createdAt: m.createdAt.toISOString(),
});

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
 * Adds a person to the workspace with a password the admin hands over. An email that already
 * has an account elsewhere is refused (its owner's password is theirs): invite them instead.
 */
export async function createMember(actor: Actor, input: CreateMemberInput): Promise<MemberView> {
  const prisma = await db();
  if (await prisma.user.findUnique({ where: { email: input.email } })) {
    throw new AppError(
      "conflict",
      `${input.email} already has a Flowdeck account. Invite them instead, and they join with their own password.`,
      {
        fields: [{ path: "body.email", message: "already has an account" }],
      },
    );
  }
  const passwordHash = await hashPassword(input.password);
  const membership = await prisma.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash } });
    const m = await tx.membership.create({
      data: { userId: user.id, workspaceId: actor.workspaceId, role: input.role },
      include: withUser,
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
  return view(membership);
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
