import { describe, expect, it } from "vitest";
import { passwordWeakness } from "./password-strength";

describe("passwordWeakness", () => {
  it("refuses a repeated character, a common password and a keyboard walk, saying why", () => {
    expect(passwordWeakness("aaaaaaaaaa")).toMatch(/Repeated characters like "aaa" are easy to guess/);
    expect(passwordWeakness("password123")).toMatch(/common/i);
    expect(passwordWeakness("qwertyuiop")).toMatch(/keyboard|common/i);
  });

  it("refuses a password made of the person's own email or name", () => {
    expect(passwordWeakness("adalovelace1815")).toBeNull();
    expect(passwordWeakness("adalovelace1815", ["ada.lovelace1815@example.com", "Ada Lovelace"])).not.toBeNull();
  });

  it("accepts a long passphrase and a random string", () => {
    expect(passwordWeakness("correct horse battery staple")).toBeNull();
    expect(passwordWeakness("pw-mj3k2x1-long-enough")).toBeNull();
  });
});
