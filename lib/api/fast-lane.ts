import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { NextRequest } from "next/server";
import { bearerKey } from "../auth/api-keys";
import { logger } from "../log/logger";
import { READ_BODY, wholeBodyOf } from "./read-body";
import {
  API_CONTENT_SECURITY_POLICY,
  forwardedHttps,
  frameDenial,
  STRICT_TRANSPORT_SECURITY,
  staticSecurityHeaders,
} from "./security-headers";

/**
 * The fast lane: the few API routes integrations call most (start and follow a run, a run's
 * state, the gateway's OpenAI-compatible door) served straight by their own route handler,
 * without Next.js's router in between (about 4 ms per request on a two-core machine, more than
 * everything else a trivial run costs). `scripts/socket-address.mjs`, loaded before Next.js,
 * hands each request of the process's HTTP server to `fastLane().take` first.
 *
 * What stays the same: the handler is the exported route handler itself (`route()`: API key,
 * role, workspace, zod, body limits, request log), and the response carries the headers
 * proxy.ts and next.config.ts would add, but for a stricter CSP that needs no nonce (an API
 * answer loads nothing: `API_CONTENT_SECURITY_POLICY`). What is taken: only an exact path and method of a
 * registered route, with a bearer key (a session needs Next.js's request scope) and nothing
 * percent-encoded in the path (Next.js's proxy refuses what cannot be decoded). Anything else,
 * or any request before the lane is open, goes to Next.js as before.
 */
type RouteHandler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface FastRoute {
  method: "GET" | "POST";
  /** The path, with `:name` for a path parameter (one segment). */
  path: string;
  handler: RouteHandler;
}

interface Lane {
  take: ((request: IncomingMessage, response: ServerResponse) => boolean) | null;
}

/** Shared with scripts/socket-address.mjs through the global symbol registry. */
const lane = (): Lane => {
  const key = Symbol.for("flowdeck.fastLane");
  const g = globalThis as unknown as Record<symbol, Lane | undefined>;
  return (g[key] ??= { take: null });
};

function compile(route: FastRoute) {
  const names: string[] = [];
  const pattern = route.path.replace(/:(\w+)/g, (_, name: string) => (names.push(name), "([^/]+)"));
  const regex = new RegExp(`^${pattern}$`);
  return {
    ...route,
    match(pathname: string): Record<string, string> | null {
      const m = regex.exec(pathname);
      return m ? Object.fromEntries(names.map((n, i) => [n, m[i + 1]!])) : null;
    },
  };
}

/** Opens the lane for `routes` (called once the process is up: instrumentation.ts). */
export function openFastLane(routes: FastRoute[]): void {
  const compiled = routes.map(compile);
  lane().take = (req, res) => {
    // Exactly what route() reads as a key: anything else would fall to the session, which needs Next.js.
    if (!bearerKey(req.headers.authorization ?? null)) return false;
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const pathname = query < 0 ? url : url.slice(0, query);
    if (pathname.includes("%")) return false;
    for (const route of compiled) {
      if (route.method !== req.method) continue;
      const params = route.match(pathname);
      if (!params) continue;
      void serve(route.handler, params, req, res);
      return true;
    }
    return false;
  };
}

/** Closes the lane: every request goes to Next.js again. */
export function closeFastLane(): void {
  lane().take = null;
}

/** As Next.js caps a body when a proxy is present (10 MB); each route's own, smaller limit follows in route(). */
const MAX_BODY_BYTES = 10_000_000;
const hasBodyMethod = (method: string | undefined) => method !== "GET" && method !== "HEAD";

/** The request's body, read whole up to the cap (these routes take small JSON); null past it. */
function readCapped(req: IncomingMessage): Promise<Buffer | null> {
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      req.off("data", onData);
      resolve(null);
    };
    req.on("data", onData);
    req.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

/**
 * A request's headers as route() and these handlers read them: `get` straight from Node's
 * parsed headers (already lowercased), anything else from a Headers built on first use. Building
 * the Headers up front costs more than all of route()'s checks.
 */
class RequestHeaders {
  private whole: Headers | null = null;
  constructor(private readonly raw: IncomingMessage["headers"]) {}
  /** The header's own value (never one of the object's inherited properties, such as "constructor"). */
  private own(name: string): string | string[] | undefined {
    const key = name.toLowerCase();
    return Object.hasOwn(this.raw, key) ? this.raw[key] : undefined;
  }
  get(name: string): string | null {
    const value = this.own(name);
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  }
  has(name: string): boolean {
    return this.own(name) !== undefined;
  }
  private all(): Headers {
    if (this.whole) return this.whole;
    const headers = new Headers();
    for (const [name, value] of Object.entries(this.raw)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    return (this.whole = headers);
  }
  forEach(each: (value: string, name: string, parent: Headers) => void): void {
    this.all().forEach(each);
  }
  entries() {
    return this.all().entries();
  }
  keys() {
    return this.all().keys();
  }
  values() {
    return this.all().values();
  }
  [Symbol.iterator]() {
    return this.all()[Symbol.iterator]();
  }
  getSetCookie(): string[] {
    return this.all().getSetCookie();
  }
}

/**
 * What route() and these handlers read of a request (method, headers, nextUrl, signal, the body
 * already read), without building a NextRequest (a tenth of a millisecond: it parses the URL
 * again for Next.js's routing, which this request does not go through). The URL is parsed when
 * first read.
 */
function laneRequest(req: IncomingMessage, body: string, signal: AbortSignal): NextRequest {
  let url: URL | undefined;
  const parsed = () => (url ??= new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`));
  return {
    method: req.method ?? "GET",
    get url() {
      return parsed().href;
    },
    get nextUrl() {
      return parsed();
    },
    headers: new RequestHeaders(req.headers),
    signal,
    text: async () => body,
    json: async () => JSON.parse(body) as unknown,
    [READ_BODY]: body,
  } as unknown as NextRequest;
}

/** The headers the lane adds to every answer (API routes only: never the chat's embed page, so never framable). */
const LANE_HEADERS: [string, string][] = [
  ...[...staticSecurityHeaders, ...frameDenial.headers].map(({ key, value }): [string, string] => [
    key.toLowerCase(),
    value,
  ]),
  ["content-security-policy", API_CONTENT_SECURITY_POLICY],
  ["x-flowdeck-lane", "fast"],
];
const LANE_HEADER_NAMES = new Set([...LANE_HEADERS.map(([name]) => name), "strict-transport-security"]);

/** An answer's head as one flat list for writeHead: the handler's headers, then the lane's (which win). */
function headOf(response: Response, https: boolean, contentLength?: number): string[] {
  const head: string[] = [];
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie" && name !== "content-length" && !LANE_HEADER_NAMES.has(name)) head.push(name, value);
  });
  for (const cookie of response.headers.getSetCookie()) head.push("set-cookie", cookie);
  for (const [name, value] of LANE_HEADERS) head.push(name, value);
  if (https) head.push("strict-transport-security", STRICT_TRANSPORT_SECURITY);
  if (contentLength !== undefined) head.push("content-length", String(contentLength));
  return head;
}

async function serve(
  handler: RouteHandler,
  params: Record<string, string>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const left = new AbortController();
  // The client went away before the answer ended (as Next.js: not on a normal end).
  res.once("close", () => !res.writableFinished && left.abort());
  try {
    const body = hasBodyMethod(req.method) ? await readCapped(req) : undefined;
    if (body === null) {
      res.writeHead(413, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: {
            code: "payload_too_large",
            message: `body: larger than the ${MAX_BODY_BYTES / 1_000_000} MB any endpoint accepts.`,
          },
        }),
      );
      req.resume();
      return;
    }
    const request = laneRequest(req, body ? body.toString("utf8") : "", left.signal);
    const response = await handler(request, { params: Promise.resolve(params) });
    // The lane serves plain HTTP, so only a proxy can say it was https.
    const https = forwardedHttps(request.headers);
    const whole = wholeBodyOf(response);
    if (response.status === 204 || response.status === 304) {
      res.writeHead(response.status, headOf(response, https));
      return void res.end();
    }
    if (whole !== undefined || !response.body) {
      const bytes = Buffer.from(whole ?? "", "utf8");
      res.writeHead(response.status, headOf(response, https, bytes.length));
      return void res.end(bytes);
    }
    // A whole answer is written in one go; a stream (SSE) is piped as it comes.
    if (!response.headers.get("content-type")?.startsWith("text/event-stream")) {
      const bytes = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, headOf(response, https, bytes.length));
      return void res.end(bytes);
    }
    res.writeHead(response.status, headOf(response, https));
    const answer = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>);
    answer.on("error", () => res.destroy());
    // A client that goes away cancels the stream (its handler stops work and settles).
    res.once("close", () => !res.writableFinished && answer.destroy());
    answer.pipe(res);
  } catch (error) {
    // route() answers every error itself; this is a fault of the lane (a broken socket).
    logger().warn({ err: error, path: req.url }, "the fast lane could not answer a request");
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "internal", message: "Something went wrong on the server." } }));
  }
}
