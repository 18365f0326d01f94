/** The headers the door sends and answers with. */
export type Header = [name: string, value: string];

/** Headers the caller may not set: the door writes them (or they would steer the connection). */
const RESERVED_HEADERS = new Set([
  "host",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "content-length",
  "expect",
  "proxy-authorization",
  "proxy-connection",
]);
/**
 * What a redirect to another origin keeps of the request's headers: nothing that could carry a
 * credential (Authorization, Cookie, X-Api-Key and whatever else a step set), only these.
 */
export const CROSS_ORIGIN_HEADERS = new Set(["accept", "accept-language", "user-agent", "content-type"]);
/**
 * The caller's headers as sent: reserved ones refused by name (never by value), no
 * Accept-Encoding but "identity" (the body is returned as text, not decoded from gzip), a
 * User-Agent unless the caller set one.
 */
export function requestHeaders(given: Record<string, string>): Header[] {
  const headers: Header[] = [];
  for (const [name, value] of Object.entries(given)) {
    const lower = name.toLowerCase();
    if (RESERVED_HEADERS.has(lower)) throw new Error(`the header ${name} cannot be set on an HTTP request step`);
    if (lower === "accept-encoding") continue;
    if (typeof value !== "string") throw new Error(`the header ${name} must be text`);
    headers.push([name, value]);
  }
  headers.push(["accept-encoding", "identity"]);
  if (!headers.some(([name]) => name.toLowerCase() === "user-agent")) headers.push(["user-agent", "Flowdeck"]);
  return headers;
}

export function responseHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}
