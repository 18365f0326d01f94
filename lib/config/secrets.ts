import "server-only";
import { hkdfSync, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { env } from "./env";

/**
 * The one root secret, from FLOWDECK_SECRET or, when that is not set outside production,
 * generated on first start and kept in the data directory (mode 600). Purpose keys are
 * derived from it with HKDF so one leaked purpose key reveals nothing of the others.
 */
function rootSecret(): Buffer {
  const { FLOWDECK_SECRET, FLOWDECK_DATA_DIR } = env();
  if (FLOWDECK_SECRET) return Buffer.from(FLOWDECK_SECRET, "utf8");
  const file = path.resolve(FLOWDECK_DATA_DIR, "secret.key");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  }
  return Buffer.from(readFileSync(file, "utf8").trim(), "utf8");
}

const cache = new Map<string, Buffer>();

/** A 32-byte key for one purpose ("auth", "credentials", ...). */
export function derivedKey(purpose: string): Buffer {
  let key = cache.get(purpose);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", rootSecret(), "flowdeck", purpose, 32));
    cache.set(purpose, key);
  }
  return key;
}
