import "server-only";
import { db } from "../db/client";
import { emailSchema } from "../schemas/identity";
import { verifyPassword } from "./password";
import { clearFailedSignIns, recordFailedSignIn, signInBlockedFor } from "./signin-limiter";

/** Said for an unknown email and for a wrong password alike, so it tells an attacker nothing. */
export const WRONG_CREDENTIALS = "Email or password is incorrect.";

export class SignInError extends Error {
  override name = "SignInError";
}

export interface AuthenticatedUser {
  id: string;
  email: string;
  name: string;
}

/** Checks an email and password, counting failures; throws a SignInError a person can read. */
export async function authenticate(rawEmail: string, password: string, address: string): Promise<AuthenticatedUser> {
  const parsed = emailSchema.safeParse(rawEmail);
  if (!parsed.success || !password) throw new SignInError(WRONG_CREDENTIALS);
  const email = parsed.data;

  const wait = await signInBlockedFor(email, address);
  if (wait > 0) {
    const minutes = Math.ceil(wait / 60);
    throw new SignInError(
      `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    );
  }

  const prisma = await db();
  const user = await prisma.user.findUnique({
    where: { email },
    include: { memberships: { where: { status: "ACTIVE" }, select: { id: true } } },
  });
  if (!(await verifyPassword(user?.passwordHash ?? null, password)) || !user) {
    await recordFailedSignIn(email, address);
    throw new SignInError(WRONG_CREDENTIALS);
  }
  if (user.memberships.length === 0) {
    throw new SignInError("This account is deactivated. Ask an admin of your workspace to reactivate it.");
  }
  await clearFailedSignIns(email);
  await prisma.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  return { id: user.id, email: user.email, name: user.name };
}
