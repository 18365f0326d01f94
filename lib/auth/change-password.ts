import "server-only";
import { recordAudit } from "../audit/record";
import { db } from "../db/client";
import { AppError } from "../errors/app-error";
import type { ChangePasswordInput } from "../schemas/identity";
import { checkPassword } from "./check-password";
import { hashPassword } from "./password";
import { assertStrongPassword } from "./password-strength";
import { endAllSessions } from "./sessions";
import type { Viewer } from "./session";

/**
 * A person changes their own password: the current one is checked through the sign-in limiter
 * (a stolen session must not become a way to guess it), the new one must be hard to guess, and
 * every session of theirs ends, this one and any copied cookie included; they sign in again
 * with the new password.
 */
export async function changePassword(viewer: Viewer, input: ChangePasswordInput, address: string | null) {
  const prisma = await db();
  const user = await prisma.user.findUniqueOrThrow({ where: { id: viewer.user.id } });
  if (!(await checkPassword(user.email, address, user.passwordHash, input.currentPassword))) {
    throw new AppError("bad_request", "body.currentPassword: this is not your current password.", {
      fields: [{ path: "body.currentPassword", message: "This is not your current password." }],
    });
  }
  await assertStrongPassword(input.newPassword, [user.email, user.name], "body.newPassword");
  const passwordHash = await hashPassword(input.newPassword);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await endAllSessions(tx, user.id);
    await recordAudit(tx, {
      workspaceId: viewer.workspace.id,
      actorId: user.id,
      action: "user.password-change",
      targetType: "User",
      targetId: user.id,
    });
  });
  return { signedOut: true };
}
