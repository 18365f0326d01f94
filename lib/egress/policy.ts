import ipaddr from "ipaddr.js";
import { z } from "zod";

/**
 * Which HTTP destinations a workspace's steps may reach (deny by default), and which addresses
 * are never reached unless a rule says so. Pure: no network, no Node built-ins, so the admin
 * form can validate a pattern with the same code the door enforces it with.
 */

/**
 * One allowed destination. `pattern` is a host ("api.example.com"), a wildcard of its
 * subdomains ("*.example.com": any depth, not the apex), or an IP literal ("127.0.0.1",
 * "[::1]"), optionally with a port ("127.0.0.1:8080"); without a port any port matches.
 * Case does not matter. `allowPrivate` lets the host be (or resolve to) a private, loopback or
 * link-local address: for services on the workspace's own network.
 */
export interface HostRule {
  pattern: string;
  allowPrivate: boolean;
  /** Requests to it that change things (POST, PUT, PATCH, DELETE) wait for a person's approval. */
  requireApproval?: boolean;
}

/** Why the door refused a request, before any byte of it was sent. */
export class EgressRefused extends Error {
  constructor(
    message: string,
    readonly reason: "not-allowed" | "private-address" | "no-public-address" | "scheme" | "redirect",
  ) {
    super(message);
    this.name = "EgressRefused";
  }
}

interface ParsedPattern {
  /** The host as the URL parser writes it (lower case, punycode, IPv6 in brackets), without a trailing dot. */
  host: string;
  wildcard: boolean;
  port: number | null;
}

const EXAMPLE = "like api.example.com";

/** What is wrong with a pattern, said for the person who typed it; null when it is good. */
export function patternProblem(input: string): string | null {
  const pattern = input.trim().toLowerCase();
  if (!pattern) return `Enter a host, ${EXAMPLE}`;
  if (/\s/.test(pattern)) return "A host pattern has no spaces";
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(pattern) || pattern.includes("://"))
    return `Leave out the scheme (https://): enter only the host, ${EXAMPLE}`;
  if (/[/?#\\]/.test(pattern)) return `Leave out the path: enter only the host, ${EXAMPLE}`;
  if (pattern.includes("@")) return "A host pattern has no user name or password";
  if (pattern.length > 300) return "A host pattern is at most 300 characters";
  const split = splitPort(pattern);
  if (!split) return "The port must be a number from 1 to 65535, after the host (api.example.com:8443)";
  const { host } = split;
  if (host === "*" || host === "*.")
    return "A bare * would allow every host: name the hosts, or a domain like *.example.com";
  const wildcard = host.startsWith("*.");
  const rest = wildcard ? host.slice(2) : host;
  if (rest.includes("*")) return "A wildcard goes only at the start, as in *.example.com";
  const normal = normalHost(rest);
  if (!normal) return `${input.trim()} is not a valid host name`;
  if (wildcard && isIpLiteral(normal)) return "A wildcard cannot be used with an IP address";
  if (wildcard && !normal.includes("."))
    return `*.${normal} would allow a whole top-level domain: name a domain, like *.example.com`;
  return null;
}

/** A rule as an admin enters it: the pattern trimmed and in lower case. */
export const hostRuleSchema = z
  .object({
    pattern: z
      .string()
      .trim()
      .max(300, "At most 300 characters")
      .toLowerCase()
      .superRefine((pattern, ctx) => {
        const problem = patternProblem(pattern);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    allowPrivate: z.boolean().default(false),
    requireApproval: z.boolean().default(false),
  })
  // A rule for a private or loopback address (or localhost) that does not allow private
  // addresses would never let a request through: said when it is added, not at the first run.
  .superRefine((rule, ctx) => {
    const host = parsePattern(rule.pattern)?.host;
    if (!host || rule.allowPrivate) return;
    if (host === "localhost" || host.endsWith(".localhost") || (isIpLiteral(host) && isPrivateAddress(host)))
      ctx.addIssue({
        code: "custom",
        path: ["pattern"],
        message: `${host} is a private or loopback address: also tick “private and loopback addresses” to reach it`,
      });
  });

/**
 * The rule that lets `url` through, or null. The most specific rule wins: an exact host before
 * a wildcard (a longer domain before a shorter one), a rule naming the port before one that
 * does not, so a narrow rule can allow private addresses where a broad one does not. Rules
 * whose pattern is not valid match nothing.
 */
export function matchRule(rules: HostRule[], url: URL): HostRule | null {
  const host = stripDot(url.hostname.toLowerCase());
  const ip = isIpLiteral(host);
  const port = effectivePort(url);
  let best: { rule: HostRule; score: number } | null = null;
  for (const rule of rules) {
    const parsed = parsePattern(rule.pattern);
    if (!parsed) continue;
    if (parsed.port !== null && parsed.port !== port) continue;
    let score: number;
    if (parsed.wildcard) {
      if (ip || !host.endsWith(`.${parsed.host}`)) continue;
      score = parsed.host.length;
    } else {
      if (host !== parsed.host) continue;
      score = 1000;
    }
    if (parsed.port !== null) score += 1;
    if (!best || score > best.score) best = { rule, score };
  }
  return best?.rule ?? null;
}

/** The port a URL connects to: its own, or its scheme's. */
export function effectivePort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === "https:" ? 443 : 80;
}

/** Is `host` (as a URL writes it: IPv6 in brackets) an IP address rather than a name? */
export function isIpLiteral(host: string): boolean {
  if (host.startsWith("[") && host.endsWith("]")) return true;
  return ipaddr.IPv4.isValidFourPartDecimal(host);
}

const BENCHMARKING = ipaddr.parseCIDR("198.18.0.0/15") as [ipaddr.IPv4, number];
const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR("2000::/3") as [ipaddr.IPv6, number];
const IPV6_NOT_GLOBAL = ["2001::/23", "2001:db8::/32", "3fff::/20"].map(
  (cidr) => ipaddr.parseCIDR(cidr) as [ipaddr.IPv6, number],
);

/**
 * Whether an address must not be reached without a rule's `allowPrivate`: anything but a
 * public unicast address. IPv4: loopback 127/8, private 10/8, 172.16/12, 192.168/16,
 * link-local 169.254/16 (cloud metadata at 169.254.169.254), 0.0.0.0/8, carrier-grade NAT
 * 100.64/10, benchmarking 198.18/15, multicast, reserved and documentation ranges, broadcast.
 * IPv6: ::1, ::, fc00::/7, fe80::/10, multicast, everything outside 2000::/3 and the special
 * blocks inside it (Teredo, documentation); an address that embeds an IPv4 one (IPv4-mapped,
 * NAT64, 6to4) is judged by the IPv4 address. Anything that is not an address is refused too.
 */
export function isPrivateAddress(address: string): boolean {
  let text = address.trim();
  if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return privateV4(ipaddr.IPv4.parse(text));
  if (!text.includes(":") || !ipaddr.IPv6.isValid(text)) return true;
  const ip = ipaddr.IPv6.parse(text);
  if (ip.isIPv4MappedAddress()) return privateV4(ip.toIPv4Address());
  const range = ip.range();
  const [, p1 = 0, p2 = 0, , , , p6 = 0, p7 = 0] = ip.parts;
  if (range === "rfc6052" || range === "rfc6145") return privateV4(v4From(p6, p7));
  if (range === "6to4") return privateV4(v4From(p1, p2));
  if (range !== "unicast" || !ip.match(IPV6_GLOBAL_UNICAST)) return true;
  return IPV6_NOT_GLOBAL.some((cidr) => ip.match(cidr));
}

function privateV4(ip: ipaddr.IPv4): boolean {
  return ip.range() !== "unicast" || ip.match(BENCHMARKING);
}

const v4From = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

function stripDot(host: string): string {
  return host.endsWith(".") ? host.slice(0, -1) : host;
}

/** A host as the URL parser would write it, or null when it is not one. */
function normalHost(host: string): string | null {
  if (!host || host.startsWith(".") || host.includes("..")) return null;
  let literal = host;
  if (!host.startsWith("[") && host.includes(":")) literal = `[${host}]`; // a bare IPv6 address
  try {
    const url = new URL(`http://${literal}/`);
    if (url.username || url.password || url.port || url.pathname !== "/") return null;
    const normal = stripDot(url.hostname);
    return normal && !normal.includes("*") ? normal : null;
  } catch {
    return null;
  }
}

/** The host and port of a pattern; null when its port is not one. */
function splitPort(pattern: string): { host: string; port: number | null } | null {
  let host = pattern;
  let port: string | undefined;
  const bracketed = /^(\[[^\]]*\])(?::(.*))?$/.exec(pattern);
  if (bracketed) {
    host = bracketed[1]!;
    port = bracketed[2];
  } else if ((pattern.match(/:/g) ?? []).length === 1) {
    [host = "", port] = pattern.split(":");
  }
  if (port === undefined) return { host, port: null };
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return null;
  return { host, port: Number(port) };
}

function parsePattern(input: string): ParsedPattern | null {
  const pattern = input.trim().toLowerCase();
  if (patternProblem(pattern)) return null;
  const split = splitPort(pattern)!;
  const wildcard = split.host.startsWith("*.");
  const host = normalHost(wildcard ? split.host.slice(2) : split.host)!;
  return { host, wildcard, port: split.port };
}
