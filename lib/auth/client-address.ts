import "server-only";
import ipaddr from "ipaddr.js";
import proxyaddr from "proxy-addr";
import { env } from "../config/env";
import { processSingleton } from "../process/singleton";

type HeaderSource = Headers | Record<string, unknown> | undefined;

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return typeof value === "string" ? value : undefined;
}

const trust = () => processSingleton("trusted-proxies", () => compileTrust(env().TRUSTED_PROXIES?.split(",") ?? []));

const compileTrust = (proxies: string[]) => {
  const list = proxies.map((s) => s.trim()).filter(Boolean);
  return list.length ? proxyaddr.compile(list) : () => false;
};

/**
 * The address of the client a request came from, or null when it is not known. The socket's
 * peer comes from the header scripts/socket-address.mjs writes on every request (under a random
 * name per process, FLOWDECK_PEER_HEADER); X-Forwarded-For is believed only hop by hop from
 * that peer through the proxies TRUSTED_PROXIES names, so a client cannot choose its address.
 * Served another way (`next dev`, a bare `next start`), the address is unknown.
 */
export function clientAddress(headers: HeaderSource): string | null {
  return addressFrom(headers, process.env.FLOWDECK_PEER_HEADER, trust());
}

/** `clientAddress` with its inputs named, for tests: the peer header's name and which proxies to trust. */
export function addressFrom(
  headers: HeaderSource,
  peerHeader: string | undefined,
  trusted: ((address: string, hop: number) => boolean) | string[],
): string | null {
  const peer = peerHeader ? header(headers, peerHeader) : undefined;
  if (!peer || !ipaddr.isValid(peer)) return null;
  const forwardedFor = header(headers, "x-forwarded-for");
  const request = {
    headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
    socket: { remoteAddress: peer },
    connection: { remoteAddress: peer },
  };
  const address = proxyaddr(request as never, Array.isArray(trusted) ? compileTrust(trusted) : trusted);
  return ipaddr.isValid(address) ? ipaddr.process(address).toString() : null;
}

/**
 * What the limiter counts per: an IPv4 address, or the /64 an IPv6 address is in (one
 * subscriber usually holds a whole /64, so single IPv6 addresses are free to rotate).
 */
export function addressKey(address: string): string {
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(":")}::/64`;
}
