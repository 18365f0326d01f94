import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { db } from "../db/client";
import { recordAudit } from "../audit/record";
import { checkPassword } from "../auth/check-password";
import { hashPassword } from "../auth/password";
import { assertStrongPassword } from "../auth/password-strength";
import { lockedOutMessage, signInLimiter } from "../auth/signin-limiter";
import { AppError } from "../errors/app-error";
import type { InviteInput, Role } from "../schemas/identity";
import { markJoined } from "../auth/joined";

const INVITATION_DAYS = 7;
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export interface InvitationView {
  id: string;
  email: string;
  name: string;
  role: Role;
  expiresAt: string;
  createdAt: string;
}

/**
 * Creates an invitation and returns its token once; only its hash is stored. The admin hands
 * the link on (email delivery comes with the notifications work).
 */
export async function inviteMember(
  actor: { workspaceId: string; userId: string },
  input: InviteInput,
): Promise<InvitationView & { token: string }> {
  const prisma = await db();
  const existing = await prisma.membership.findFirst({
    where: { workspaceId: actor.workspaceId, user: { email: input.email } },
  });
  if (existing) {
    throw new AppError("conflict", `${input.email} is already a member of this workspace.`, {
      fields: [{ path: "body.email", message: "already a member" }],
    });
  }
  const token = randomBytes(24).toString("base64url");
  const row = await prisma.$transaction(async (tx) => {
    const created = await tx.invitation.create({
      data: {
        ...input,
        workspaceId: actor.workspaceId,
        invitedById: actor.userId,
        tokenHash: hashToken(token),
        expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
      },
    });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "invitation.create",
      targetType: "Invitation",
      targetId: created.id,
      after: { email: input.email, role: input.role },
    });
    return created;
  });
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    token,
  };
}

export async function listPendingInvitations(workspaceId: string): Promise<InvitationView[]> {
  const prisma = await db();
  const rows = await prisma.invitation.findMany({
    where: { workspaceId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    expiresAt: r.expiresAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
  }));
}

/** What the invitation page shows before the person sets a password. */
export async function describeInvitation(token: string) {
  const prisma = await db();
  const row = await prisma.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { workspace: true },
  });
  if (!row || row.acceptedAt || row.revokedAt || row.expiresAt < new Date()) return null;
  // Whether the email has an account is not said: the admin who made the link can open it too.
  return { email: row.email, name: row.name, role: row.role, workspaceName: row.workspace.name };
}

/** The limiter's name for links tried from an address (no email is known for a wrong link). */
const LINK_GUESSES = "invitation-links";
const notValidAnyMore = () =>
  new AppError("not_found", "This invitation link is not valid any more. Ask your admin for a new one.");

/**
 * Accepts an invitation exactly once. A new person gets an account with the password they
 * chose (refused when weak); a person who already has an account joins the workspace with their
 * own password, checked through the sign-in limiter like a sign-in from `address`, so the link
 * is no way around it.
 */
export async function acceptInvitation(
  token: string,
  password: string,
  address: string | null,
): Promise<{ email: string }> {
  const prisma = await db();
  // Guessing links is like trying passwords: an address that sent too many wrong ones waits, as
  // at sign-in, and a link that is no invitation is refused before any password is hashed (a
  // password hash is 32 MiB and about 100 ms of work: anyone could make the server do it).
  const limiter = await signInLimiter();
  const wait = await limiter.blockedFor(LINK_GUESSES, address);
  if (wait > 0) throw new AppError("rate_limited", lockedOutMessage(wait), { retryAfterSeconds: wait });
  const invitation = await prisma.invitation.findUnique({ where: { tokenHash: hashToken(token) } });
  if (invitation?.acceptedAt) throw new AppError("conflict", "This invitation was already used. Sign in instead.");
  if (!invitation || invitation.revokedAt || invitation.expiresAt < new Date()) {
    // Counted against the address alone (50 by default): a person who mistypes a link is not
    // locked out, an address guessing links or making the server work is.
    await limiter.recordAddressFailure(address);
    throw notValidAnyMore();
  }
  const existing = await prisma.user.findUnique({ where: { email: invitation.email } });
  if (existing && !(await checkPassword(existing.email, address, existing.passwordHash, password))) {
    throw new AppError("bad_request", "body.password: not the password of the existing account for this email.", {
      fields: [
        {
          path: "body.password",
          message: "This email already has a Flowdeck account: enter its password to join this workspace.",
        },
      ],
    });
  }
  if (!existing) await assertStrongPassword(password, [invitation.email, invitation.name], "body.password");
  const passwordHash = existing ? null : await hashPassword(password);
  return prisma.$transaction(async (tx) => {
    const row = await tx.invitation.findUnique({ where: { tokenHash: hashToken(token) } });
    if (!row || row.revokedAt || row.expiresAt < new Date()) throw notValidAnyMore();
    const claimed = await tx.invitation.updateMany({
      where: { id: row.id, acceptedAt: null },
      data: { acceptedAt: new Date() },
    });
    if (claimed.count === 0) throw new AppError("conflict", "This invitation was already used. Sign in instead.");
    const user =
      (await tx.user.findUnique({ where: { email: row.email } })) ??
      (await tx.user.create({
        data: { email: row.email, name: row.name, passwordHash: passwordHash ?? (await hashPassword(password)) },
      }));
    await tx.membership.upsert({
      where: { userId_workspaceId: { userId: user.id, workspaceId: row.workspaceId } },
      create: { userId: user.id, workspaceId: row.workspaceId, role: row.role },
      update: {},
    });
    // Accepting is joining (a person an admin had added already is themselves there from now on).
    await markJoined(user.id, row.workspaceId, tx);
    await recordAudit(tx, {
      workspaceId: row.workspaceId,
      actorId: user.id,
      action: "invitation.accept",
      targetType: "Invitation",
      targetId: row.id,
    });
    return { email: row.email };
  });
}

export async function revokeInvitation(actor: { workspaceId: string; userId: string }, id: string): Promise<void> {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const res = await tx.invitation.updateMany({
      where: { id, workspaceId: actor.workspaceId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (res.count === 0) throw new AppError("not_found", "Invitation not found, or already used or revoked.");
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "invitation.revoke",
      targetType: "Invitation",
      targetId: id,
    });
  });
}
