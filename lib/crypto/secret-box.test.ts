import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { lastFour, open, seal } from "./secret-box";

describe("secret box", () => {
  const key = randomBytes(32);

  it("opens what it sealed, and never stores the plaintext", () => {
    const sealed = seal("sk-live-123456789", key);
    expect(sealed).not.toContain("123456789");
    expect(open(sealed, key)).toBe("sk-live-123456789");
  });

  it("seals the same text differently every time", () => {
    expect(seal("same", key)).not.toBe(seal("same", key));
  });

  it("refuses a tampered value and a wrong key", () => {
    const sealed = seal("secret", key);
    const raw = Buffer.from(sealed.slice(3), "base64");
    raw[raw.length - 1]! ^= 1;
    expect(() => open(`v1:${raw.toString("base64")}`, key)).toThrow();
    expect(() => open(sealed, randomBytes(32))).toThrow();
  });

  it("shows only the last four characters", () => {
    expect(lastFour("sk-abcdefgh1234")).toBe("…1234");
    expect(lastFour("abc")).toBe("****");
  });
});
