import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("environment", () => {
  it("gives defaults for the embedded mode when nothing is set", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.FLOWDECK_DATA_DIR).toBe(".data");
    expect(env.SIGNIN_MAX_FAILURES).toBe(5);
  });

  it("names a malformed variable and says what it must be", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(EnvError);
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(
      /DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ connection URL/,
    );
    expect(() => parseEnv({ SIGNIN_MAX_FAILURES: "many" })).toThrow(/SIGNIN_MAX_FAILURES/);
  });

  it("requires FLOWDECK_SECRET in production with a shared database", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgresql://a@b/c" })).toThrow(
      /FLOWDECK_SECRET: is required in production/,
    );
    expect(() =>
      parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgresql://a@b/c", FLOWDECK_SECRET: "short" }),
    ).toThrow(/at least 32 characters/);
    expect(
      parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgresql://a@b/c", FLOWDECK_SECRET: "x".repeat(32) })
        .FLOWDECK_SECRET,
    ).toHaveLength(32);
  });

  it("wants all three OIDC variables or none, naming the missing ones", () => {
    const error = (() => {
      try {
        parseEnv({ OIDC_ISSUER: "https://id.example.com" });
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(error).toMatch(/OIDC_CLIENT_ID: is required/);
    expect(error).toMatch(/OIDC_CLIENT_SECRET: is required/);
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it("takes TRUSTED_PROXIES as addresses, ranges and keywords, and names a bad entry", () => {
    expect(parseEnv({ TRUSTED_PROXIES: "10.0.0.0/8, loopback, 2001:db8::1" }).TRUSTED_PROXIES).toBeDefined();
    expect(() => parseEnv({ TRUSTED_PROXIES: "10.0.0.0/8,proxy.example.com" })).toThrow(/TRUSTED_PROXIES: must be/);
  });
});
