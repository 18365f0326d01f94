import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { Agent, fetch, type Dispatcher } from "undici";
import { logger } from "../log/logger";
import { processSingleton } from "../process/singleton";
import { EgressRefused, isIpLiteral, isPrivateAddress, matchRule, type HostRule } from "./policy";

/**
 * Who may be reached: a URL admitted by the workspace's rules, and connections whose address
 * is checked in the socket's own lookup (so the address checked is the address connected to).
 */
const hostOf = (url: URL) => url.host;

/** The rule that lets `url` through; throws EgressRefused otherwise (reason "redirect" on a redirect's hop). */
export function admit(url: URL, rules: HostRule[], redirected: boolean): HostRule {
  const refuse = (message: string, reason: EgressRefused["reason"]): never => {
    if (!redirected) throw new EgressRefused(message, reason);
    throw new EgressRefused(`the redirect to ${hostOf(url)} was refused: ${message}`, "redirect");
  };
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return refuse(`${url.protocol} URLs cannot be requested: only http: and https:`, "scheme");
  if (url.username || url.password)
    return refuse("a URL with a user name or password in it is refused: send credentials in a header", "not-allowed");
  const rule = matchRule(rules, url);
  if (!rule)
    return refuse(
      `${hostOf(url)} is not an allowed destination of this workspace (an admin allows hosts under HTTP destinations)`,
      "not-allowed",
    );
  if (isIpLiteral(url.hostname) && !rule.allowPrivate && isPrivateAddress(url.hostname))
    return refuse(privateMessage(hostOf(url)), "private-address");
  return rule;
}

/** Why a private IP literal is refused. */
function privateMessage(host: string): string {
  return `${host} is a private, loopback or link-local address: requests go there only when one of this workspace's HTTP destinations names ${host} and allows private addresses`;
}

/**
 * Why a name is refused, whether it resolves to a private address or to none at all: the same
 * words and reason for both (both named, so that a name that does not resolve, as on a machine
 * without DNS, does not read as a call to allow private addresses), and never the address. Whoever reads the refusal (a builder's HTTP
 * step, an admin testing a team's provider or tool server, the audit trail) could otherwise map
 * the studio's network by the names its resolver knows. What happened goes to the server's log.
 */
function noPublicAddress(host: string): EgressRefused {
  return new EgressRefused(
    `${host} has no public address: it does not resolve, or resolves only to a private, loopback or link-local address. Check the name and the studio's network; a private address is reached only when one of this workspace's HTTP destinations names ${host} and allows private addresses`,
    "no-public-address",
  );
}

/**
 * For the studio's own requests to an address a workspace admin chose (the review webhook, a
 * team's own MCP servers and model providers): any public address, but a private, loopback or link-local one (the studio's host, its network, a
 * cloud's metadata service) only when one of the workspace's HTTP destinations names the host
 * and allows private addresses. Checked as the door checks: an IP literal here, before
 * connecting; a name in the socket's own lookup. The caller follows no redirect.
 */
export function outboundDispatcher(url: URL, rules: HostRule[], pool: Pool = "egress"): Dispatcher {
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new EgressRefused(`${url.protocol} URLs cannot be requested: only http: and https:`, "scheme");
  const allowPrivate = matchRule(rules, url)?.allowPrivate ?? false;
  if (!allowPrivate && isIpLiteral(url.hostname) && isPrivateAddress(url.hostname))
    throw new EgressRefused(privateMessage(url.hostname), "private-address");
  return pool === "models" ? modelAgent(allowPrivate) : agent(allowPrivate);
}

/**
 * Whose connections a request takes: "egress" (HTTP Request steps, webhooks, tool servers: at
 * most 32 per host) or "models" (a team's own model providers: a streamed answer holds its
 * connection for as long as it lasts, so no cap, and kept alive longer, as the gateway's own).
 */
export type Pool = "egress" | "models";

/** A lookup that refuses private addresses: Node connects only to what it returns. */
function guardedLookup(): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      // ENOTFOUND: the name has no address (Node says so for no such name and for no data);
      // any other failure is a resolver that failed for now, a connection failure.
      if (error && error.code !== "ENOTFOUND") return callback(error, "");
      if (error || !addresses.length) {
        logger().info({ host: hostname }, "refused a connection to a name with no address");
        return callback(noPublicAddress(hostname), "");
      }
      const blocked = addresses.find((a) => isPrivateAddress(a.address));
      if (blocked) {
        logger().info({ host: hostname, address: blocked.address }, "refused a connection to a private address");
        return callback(noPublicAddress(hostname), "");
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * Two agents for the process: one whose connections may only reach public addresses, one for
 * rules that allow private ones. A pooled connection was checked when it was opened, and is
 * only reused by requests allowed the same addresses.
 */
export const agent = (allowPrivate: boolean): Dispatcher =>
  processSingleton(
    allowPrivate ? "egress-agent-private" : "egress-agent-public",
    () =>
      new Agent({
        keepAliveTimeout: 10_000,
        connections: 32,
        connect: allowPrivate ? {} : { lookup: guardedLookup() },
      }),
  );

/** The "models" pool's two agents (see `agent`). */
const modelAgent = (allowPrivate: boolean): Dispatcher =>
  processSingleton(
    allowPrivate ? "egress-models-private" : "egress-models-public",
    () =>
      new Agent({
        keepAliveTimeout: 30_000,
        pipelining: 1,
        connect: allowPrivate ? {} : { lookup: guardedLookup() },
      }),
  );

/**
 * A request through `outboundDispatcher` with the given rules, following no redirect (a 3xx is
 * the answer); a refusal throws EgressRefused, saying why.
 */
export async function guardedFetch(
  url: URL,
  init: RequestInit,
  rules: HostRule[],
  pool: Pool = "egress",
): Promise<Response> {
  const dispatcher = outboundDispatcher(url, rules, pool);
  try {
    const options = { ...init, redirect: "manual", dispatcher } as Parameters<typeof fetch>[1];
    return (await fetch(url, options)) as unknown as Response;
  } catch (error) {
    if ((error as Error).cause instanceof EgressRefused) throw (error as Error).cause;
    throw error;
  }
}
