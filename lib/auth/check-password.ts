import "server-only";
import { AppError } from "../errors/app-error";
import { verifyPassword } from "./password";
import { lockedOutMessage, signInLimiter } from "./signin-limiter";

/**
 * Checks a password the way sign-in does, wherever one is checked (sign-in, accepting an
 * invitation with an existing account, changing a password): refused while the address is
 * locked out for this email, a failure counted, a success forgetting the failures. A locked-out
 * caller gets a 429 with Retry-After and the password is not even tried, so the lock-out cannot
 * be used as an oracle.
 */
export async function checkPassword(
  email: string,
  address: string | null,
  storedHash: string | null,
  password: string,
): Promise<boolean> {
  const limiter = await signInLimiter();
  const wait = await limiter.blockedFor(email, address);
  if (wait > 0) throw new AppError("rate_limited", lockedOutMessage(wait), { retryAfterSeconds: wait });
  if (await verifyPassword(storedHash, password)) {
    await limiter.clear(email, address);
    return true;
  }
  await limiter.recordFailure(email, address);
  return false;
}
