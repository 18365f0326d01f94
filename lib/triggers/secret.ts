import "server-only";
import { derivedKey } from "../config/secrets";
import { open } from "../crypto/secret-box";

/** The key triggers' secrets are sealed with (a key of their own, derived from the root secret). */
export const secretsKey = () => derivedKey("trigger-secrets");

export const openSecret = (sealed: string) => open(sealed, secretsKey());
