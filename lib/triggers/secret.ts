import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { derivedKey } from "../config/secrets";
import { open } from "../crypto/secret-box";

/** The key triggers' secrets are sealed with (a key of their own, derived from the root secret). */
export const secretsKey = () => derivedKey("trigger-secrets");

export const openSecret = (sealed: string) => open(sealed, secretsKey());

/** Whether two secrets are the same, in constant time (whatever their lengths). */
export const sameSecret = (a: string, b: string): boolean =>
  timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
