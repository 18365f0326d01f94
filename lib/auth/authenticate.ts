import "server-only";
import { db } from "../db/client";
import { emailSchema } from "../schemas/identity";
import { AppError } from "../errors/app-error";
import { checkPassword } from "./check-password";
import { markJoined } from "./joined";

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

/** Checks an email and password, counting failures per address (null: unknown); throws a SignInError a person can read. */
export async function authenticate(
  rawEmail: string,
  password: string,
  address: string | null,
): Promise<AuthenticatedUser> {
  const parsed = emailSchema.safeParse(rawEmail);
  if (!parsed.success || !password) throw new SignInError(WRONG_CREDENTIALS);
  const email = parsed.data;

  const prisma = await db();
  const user = await prisma.user.findUnique({
    where: { email },
    include: { memberships: { where: { status: "ACTIVE" }, select: { id: true } } },
  });
  let matches: boolean;
  try {
    matches = await checkPassword(email, address, user?.passwordHash ?? null, password);
  } catch (error) {
    if (error instanceof AppError && error.code === "rate_limited") throw new SignInError(error.message);
    throw error;
  }
  if (!matches || !user) throw new SignInError(WRONG_CREDENTIALS);
  if (user.memberships.length === 0) {
    throw new SignInError("This account is deactivated. Ask an admin of your workspace to reactivate it.");
  }
  await prisma.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  await markJoined(user.id);
  return { id: user.id, email: user.email, name: user.name };
}
