import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM for credentials stored at rest (provider keys, MCP secrets).
 * Format: "v1:" + base64(iv | tag | ciphertext). The key comes from lib/config/secrets.
 */
const VERSION = "v1:";

export function seal(plaintext: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
}

export function open(sealed: string, key: Buffer): string {
  if (!sealed.startsWith(VERSION)) throw new Error("Not a sealed value (unknown format)");
  const raw = Buffer.from(sealed.slice(VERSION.length), "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

/** What the UI may show of a secret: its last four characters. */
export function lastFour(secret: string): string {
  return secret.length <= 4 ? "****" : `…${secret.slice(-4)}`;
}
