import { describe, expect, it } from "vitest";
import { withoutProviderKey } from "./errors";

const KEY = "sk-live-0123456789abcdef";

describe("withoutProviderKey", () => {
  it("takes the key out of a plain text, every time it appears", () => {
    expect(withoutProviderKey(`bad key ${KEY}; you sent Bearer ${KEY}`, KEY)).toBe(
      "bad key [redacted]; you sent Bearer [redacted]",
    );
  });

  it("takes it out of an error's message, stack, fields and causes, keeping the error itself", () => {
    const cause = new Error(`upstream said ${KEY}`);
    const error = Object.assign(new Error(`HTTP 401: ${KEY}`, { cause }), {
      responseBody: JSON.stringify({ error: { message: `Authorization: Bearer ${KEY}` } }),
      data: { error: { message: [`key ${KEY}`] } },
      statusCode: 401,
    });
    const same = withoutProviderKey(error, KEY);
    expect(same).toBe(error);
    expect(same.statusCode).toBe(401);
    const seen = JSON.stringify({
      m: same.message,
      s: same.stack,
      b: same.responseBody,
      d: same.data,
      c: cause.message,
    });
    expect(seen).not.toContain(KEY);
    expect(same.message).toBe("HTTP 401: [redacted]");
  });

  it("leaves errors alone when there is no key, or one too short to be told from other text", () => {
    const error = new Error("abc here");
    expect(withoutProviderKey(error, null).message).toBe("abc here");
    expect(withoutProviderKey(error, "abc").message).toBe("abc here");
  });

  it("stops at objects it has seen (a cycle) and at depth", () => {
    const a: Record<string, unknown> = { text: KEY };
    a.self = a;
    expect(() => withoutProviderKey(a, KEY)).not.toThrow();
    expect(a.text).toBe("[redacted]");
  });
});
