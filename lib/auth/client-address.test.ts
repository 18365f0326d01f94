import { describe, expect, it } from "vitest";
import { addressFrom, addressKey } from "./client-address";

const PEER = "x-flowdeck-peer-test";

describe("addressFrom", () => {
  it("is unknown when the server did not write the socket's address (no header name, or no header)", () => {
    expect(addressFrom({ [PEER]: "198.51.100.7" }, undefined, [])).toBeNull();
    expect(addressFrom({ "x-forwarded-for": "203.0.113.9" }, PEER, [])).toBeNull();
  });

  it("takes the socket's address and ignores X-Forwarded-For when no proxy is trusted", () => {
    for (const forwarded of ["203.0.113.1", "203.0.113.2, 10.0.0.1", "garbage"])
      expect(addressFrom({ [PEER]: "198.51.100.7", "x-forwarded-for": forwarded }, PEER, [])).toBe("198.51.100.7");
  });

  it("believes X-Forwarded-For only from a trusted proxy, taking the last address no trusted proxy added", () => {
    const trusted = ["loopback", "10.0.0.0/8"];
    expect(addressFrom({ [PEER]: "127.0.0.1", "x-forwarded-for": "203.0.113.9" }, PEER, trusted)).toBe("203.0.113.9");
    // A client's own X-Forwarded-For is to the left of what the proxies appended: skipped.
    expect(
      addressFrom({ [PEER]: "127.0.0.1", "x-forwarded-for": "1.2.3.4, 203.0.113.9, 10.1.2.3" }, PEER, trusted),
    ).toBe("203.0.113.9");
    // A peer that is not a trusted proxy is the client, whatever it forwards.
    expect(addressFrom({ [PEER]: "198.51.100.7", "x-forwarded-for": "203.0.113.9" }, PEER, trusted)).toBe(
      "198.51.100.7",
    );
  });

  it("writes IPv4-mapped IPv6 addresses as IPv4", () => {
    expect(addressFrom({ [PEER]: "::ffff:127.0.0.1" }, PEER, [])).toBe("127.0.0.1");
  });
});

describe("addressKey", () => {
  it("counts IPv4 per address and IPv6 per /64, so rotating within one's own /64 does not help", () => {
    expect(addressKey("198.51.100.7")).toBe("198.51.100.7");
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe(addressKey("2001:db8:1:2:bbbb::99"));
    expect(addressKey("2001:db8:1:2::1")).not.toBe(addressKey("2001:db8:1:3::1"));
  });
});
