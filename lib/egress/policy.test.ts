import { describe, expect, it } from "vitest";
import { backoffMs, retryAfterMs } from "./retry-timing";
import { EgressRefused, hostRuleSchema, isPrivateAddress, matchRule, patternProblem, type HostRule } from "./policy";

const rule = (pattern: string, allowPrivate = false): HostRule => ({ pattern, allowPrivate });
const match = (rules: HostRule[], url: string) => matchRule(rules, new URL(url));

describe("hostRuleSchema", () => {
  it("accepts hosts, wildcards of a domain and IP literals, with or without a port; trimmed, in lower case", () => {
    for (const pattern of [
      "api.example.com",
      "*.example.com",
      "*.eu.example.co.uk",
      "127.0.0.1",
      "127.0.0.1:8080",
      "[::1]",
      "[::1]:8080",
      "::1",
      "localhost",
      "api.example.com:8443",
    ])
      expect(hostRuleSchema.safeParse({ pattern, allowPrivate: true }).success, pattern).toBe(true);
    expect(hostRuleSchema.parse({ pattern: "  API.Example.COM " })).toEqual({
      pattern: "api.example.com",
      allowPrivate: false,
      requireApproval: false,
    });
  });

  it("refuses a private or loopback address (or localhost) that does not also allow private addresses, saying so", () => {
    for (const pattern of ["127.0.0.1", "127.0.0.1:3555", "[::1]:8080", "localhost", "10.0.0.7", "169.254.169.254"]) {
      const result = hostRuleSchema.safeParse({ pattern, allowPrivate: false });
      expect(result.success, pattern).toBe(false);
      expect(result.error?.issues[0]?.path, pattern).toEqual(["pattern"]);
      expect(result.error?.issues[0]?.message, pattern).toMatch(/is a private or loopback address: also tick/);
    }
    for (const pattern of ["api.example.com", "8.8.8.8", "*.example.com"])
      expect(hostRuleSchema.safeParse({ pattern, allowPrivate: false }).success, pattern).toBe(true);
  });

  it("refuses a scheme, a path, spaces, a bare *, a misplaced wildcard, a bad port, each with its reason", () => {
    const cases: [string, RegExp][] = [
      ["https://api.example.com", /scheme/],
      ["http://api.example.com/", /scheme/],
      ["api.example.com/v1", /path/],
      ["api.example.com?x=1", /path/],
      ["api example.com", /spaces/],
      ["*", /bare \*/],
      ["*:443", /bare \*/],
      ["api.*.com", /only at the start/],
      ["*example.com", /only at the start/],
      ["*.com", /top-level domain/],
      ["*.127.0.0.1", /IP address/],
      ["example.com:0", /port/],
      ["example.com:99999", /port/],
      ["example.com:http", /port/],
      ["user:pass@example.com", /user name/],
      ["", /Enter a host/],
      ["exa mple", /spaces/],
      ["bad..example.com", /not a valid host/],
      ["[not-ipv6]", /not a valid host/],
    ];
    for (const [pattern, message] of cases) {
      const result = hostRuleSchema.safeParse({ pattern, allowPrivate: false });
      expect(result.success, pattern).toBe(false);
      expect(result.error?.issues[0]?.message, pattern).toMatch(message);
      expect(patternProblem(pattern), pattern).toMatch(message);
    }
  });
});

describe("matchRule", () => {
  it("matches a host exactly, ignoring case and a trailing dot, on any port when the rule names none", () => {
    const rules = [rule("api.example.com")];
    expect(match(rules, "https://api.example.com/v1")).toBe(rules[0]);
    expect(match(rules, "http://API.EXAMPLE.com:8080/")).toBe(rules[0]);
    expect(match(rules, "https://api.example.com./")).toBe(rules[0]);
    expect(match([rule("API.Example.com")], "https://api.example.com/")).not.toBeNull();
    expect(match(rules, "https://example.com/")).toBeNull();
    expect(match(rules, "https://api.example.com.evil.test/")).toBeNull();
    expect(match(rules, "https://xapi.example.com/")).toBeNull();
    expect(match([], "https://api.example.com/")).toBeNull();
  });

  it("matches a wildcard on subdomains at any depth, never the apex, a look-alike or an IP", () => {
    const rules = [rule("*.example.com")];
    expect(match(rules, "https://api.example.com/")).toBe(rules[0]);
    expect(match(rules, "https://a.b.example.com/")).toBe(rules[0]);
    expect(match(rules, "https://example.com/")).toBeNull();
    expect(match(rules, "https://evilexample.com/")).toBeNull();
    expect(match(rules, "https://example.com.evil.test/")).toBeNull();
  });

  it("holds a rule's port to the URL's port, the scheme's default included", () => {
    const rules = [rule("api.example.com:443")];
    expect(match(rules, "https://api.example.com/")).toBe(rules[0]);
    expect(match(rules, "http://api.example.com/")).toBeNull();
    expect(match(rules, "https://api.example.com:8443/")).toBeNull();
    expect(match([rule("127.0.0.1:80")], "http://127.0.0.1/")).not.toBeNull();
  });

  it("compares IP literals as addresses, however the URL writes them", () => {
    expect(match([rule("127.0.0.1")], "http://0x7f.0.0.1/")).not.toBeNull();
    expect(match([rule("127.0.0.1")], "http://2130706433/")).not.toBeNull();
    expect(match([rule("::1")], "http://[0:0::1]:8080/")).not.toBeNull();
    expect(match([rule("[::1]:8080")], "http://[::1]:8080/")).not.toBeNull();
    expect(match([rule("[::1]:8080")], "http://[::1]:8081/")).toBeNull();
    expect(match([rule("127.0.0.1")], "http://127.0.0.2/")).toBeNull();
  });

  it("prefers the most specific rule: exact host over wildcard, longer domain, named port", () => {
    const broad = rule("*.example.com");
    const narrower = rule("*.internal.example.com", true);
    const exact = rule("db.internal.example.com");
    const withPort = rule("db.internal.example.com:5000", true);
    const rules = [broad, narrower, exact, withPort];
    expect(match(rules, "https://www.example.com/")).toBe(broad);
    expect(match(rules, "https://cache.internal.example.com/")).toBe(narrower);
    expect(match(rules, "https://db.internal.example.com/")).toBe(exact);
    expect(match(rules, "http://db.internal.example.com:5000/")).toBe(withPort);
  });

  it("ignores rules whose pattern is not valid", () => {
    expect(match([rule("*"), rule("https://api.example.com")], "https://api.example.com/")).toBeNull();
  });
});

describe("isPrivateAddress", () => {
  const privateOnes = [
    "127.0.0.1",
    "127.255.255.254",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254", // cloud metadata
    "169.254.0.1",
    "0.0.0.0",
    "0.1.2.3",
    "100.64.0.1",
    "100.127.255.255",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.2.1",
    "198.51.100.1",
    "203.0.113.1",
    "198.18.0.1",
    "::1",
    "::",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fe80::1%eth0",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "[::ffff:7f00:1]",
    "64:ff9b::a00:1", // NAT64 of 10.0.0.1
    "2002:7f00:1::", // 6to4 of 127.0.0.1
    "2001:db8::1", // documentation
    "2001::1", // Teredo
    "::127.0.0.1", // IPv4-compatible, deprecated
    "fec0::1", // site-local, deprecated
    "not an address",
    "",
    "localhost",
    "2130706433",
    "0x7f.0.0.1",
  ];
  const publicOnes = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.215.14",
    "172.15.255.255",
    "172.32.0.1",
    "100.63.255.255",
    "100.128.0.1",
    "169.253.255.255",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808", // NAT64 of 8.8.8.8
    "2002:808:808::1", // 6to4 of 8.8.8.8
    "[2606:4700:4700::1111]",
  ];
  it.each(privateOnes)("%s is private", (address) => expect(isPrivateAddress(address)).toBe(true));
  it.each(publicOnes)("%s is public", (address) => expect(isPrivateAddress(address)).toBe(false));
});

describe("EgressRefused", () => {
  it("is an Error that carries its reason", () => {
    const error = new EgressRefused("no", "private-address");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("EgressRefused");
    expect(error.reason).toBe("private-address");
    expect(error.message).toBe("no");
  });
});

describe("retry timing", () => {
  it("backs off exponentially from 250 ms up to 5 s", () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffMs(n, null))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
  });

  it("waits what Retry-After says, at most 30 s", () => {
    expect(backoffMs(0, 1000)).toBe(1000);
    expect(backoffMs(3, 0)).toBe(0);
    expect(backoffMs(0, 120_000)).toBe(30_000);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
    expect(retryAfterMs("2", now)).toBe(2000);
    expect(retryAfterMs(" 0 ", now)).toBe(0);
    expect(retryAfterMs("Wed, 21 Oct 2015 07:28:07 GMT", now)).toBe(7000);
    expect(retryAfterMs("Wed, 21 Oct 2015 07:27:00 GMT", now)).toBe(0);
    expect(retryAfterMs(undefined, now)).toBeNull();
    expect(retryAfterMs("soon", now)).toBeNull();
    expect(retryAfterMs("-5", now)).toBeNull();
  });
});
