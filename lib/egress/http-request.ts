import "server-only";
import { STATUS_CODES } from "node:http";
import { request as undiciRequest, type Dispatcher } from "undici";
import type { HttpCall, HttpResult } from "../engine/ports";
import { pause } from "../engine/run/with-timeout";
import { admit, agent } from "./guard";
import { CROSS_ORIGIN_HEADERS, requestHeaders, responseHeaders, type Header } from "./headers";
import { EgressRefused, type HostRule } from "./policy";
import { backoffMs, retryAfterMs } from "./retry-timing";

/**
 * The one door through which a workflow's HTTP Request step reaches the network. Deny by
 * default: the URL's host must match one of the workspace's rules (./policy.ts), and the
 * address connected to must be public unless the rule allows private ones. The address is
 * checked in the socket's own lookup, so the address checked is the address connected to (a
 * name that resolves to a public address when asked and a private one when connected cannot
 * slip through). Redirects are followed here, one hop at a time, each checked the same way.
 */
export type HttpRequest = Omit<HttpCall, "signal" | "context" | "secrets" | "approver"> & {
  signal?: AbortSignal;
  /** Default 5; 0 returns a redirect as the response instead of following it. */
  maxRedirects?: number;
  /** A person approved it: it may change things where a rule requires approval. */
  approved?: boolean;
};

const CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface HttpResponse extends HttpResult {
  redirects: number;
  durationMs: number;
  /** The body's length in bytes, as received. */
  bytes: number;
}

/** A failure the door describes itself (a body over the limit, too many redirects): passed on as it is. */
class HttpFailure extends Error {
  override name = "HttpFailure";
}

/** The connection failed (refused, reset, no answer to connect): retried when its code says it may pass. */
class ConnectionFailure extends Error {
  override name = "ConnectionFailure";
  get retryable(): boolean {
    return RETRYABLE_CODES.has(String((this.cause as { code?: unknown })?.code ?? ""));
  }
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const RETRYABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_CLOSED",
]);
const DEFAULT_MAX_REDIRECTS = 5;
/** The signal of a request nobody can cancel. */
const NEVER = new AbortController().signal;

/**
 * Sends `request` if `rules` allow its destination, and every redirect's. Resolves with the
 * final response whatever its status (the caller decides what a 404 means); throws
 * `EgressRefused` for a refused destination, an Error for a timeout, a body over the limit, a
 * connection that failed (after the retries), or too many redirects; rejects with the signal's
 * reason when `request.signal` aborts. Error messages name hosts, never a header's value or a
 * URL's path or query (either may carry a secret).
 */
export async function sendHttpRequest(request: HttpRequest, rules: HostRule[]): Promise<HttpResponse> {
  const started = performance.now();
  checkLimits(request);
  const signal = request.signal;
  signal?.throwIfAborted();
  let url = parseUrl(request.url);
  let method: HttpRequest["method"] = request.method;
  let body = method === "GET" || method === "HEAD" ? undefined : request.body;
  let headers = requestHeaders(request.headers);
  const maxRedirects = request.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let attempts = 0;
  let redirects = 0;

  for (;;) {
    const rule = admit(url, rules, redirects > 0);
    // Where a rule wants a person's approval for changes, no unapproved change gets through,
    // not even by a redirect from a host that wants none.
    if (rule.requireApproval && CHANGING.has(method) && !request.approved)
      throw new EgressRefused(
        `${redirects > 0 ? `the redirect to ${hostOf(url)} was refused: ` : ""}a ${method} to ${hostOf(url)} needs a person's approval first`,
        redirects > 0 ? "redirect" : "not-allowed",
      );
    const hop: Hop = {
      url,
      method,
      headers,
      body,
      allowPrivate: rule.allowPrivate,
      redirected: redirects > 0,
      follow: maxRedirects > 0,
    };
    let answer: Answer;
    for (let retry = 0; ; retry++) {
      attempts++;
      const canRetry = attempts <= request.retries;
      try {
        answer = await attempt(hop, request, !canRetry);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (!canRetry || !isConnectionError(error)) throw error;
        await pause(backoffMs(retry, null), signal ?? NEVER);
        continue;
      }
      if (answer.kind === "retry") {
        await pause(backoffMs(retry, answer.retryAfterMs), signal ?? NEVER);
        continue;
      }
      break;
    }
    if (answer.kind === "redirect") {
      if (redirects >= maxRedirects)
        throw new HttpFailure(
          `${hostOf(url)} redirected too many times (the limit is ${maxRedirects} redirect${maxRedirects === 1 ? "" : "s"})`,
        );
      const next = redirectTarget(url, answer.location);
      if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === "POST")) {
        if (method !== "HEAD") method = "GET";
        body = undefined;
        headers = headers.filter(([name]) => !/^content-/i.test(name));
      }
      if (next.origin !== url.origin) {
        if (body !== undefined)
          throw new EgressRefused(
            `${hostOf(url)} redirected to ${hostOf(next)} asking for the request's body to be sent there again; refused (another origin)`,
            "redirect",
          );
        headers = headers.filter(([name]) => CROSS_ORIGIN_HEADERS.has(name.toLowerCase()));
      }
      url = next;
      redirects++;
      continue;
    }
    return {
      ...answer.response,
      url: url.toString(),
      attempts,
      redirects,
      durationMs: Math.round(performance.now() - started),
    };
  }
}

interface Hop {
  url: URL;
  method: HttpRequest["method"];
  headers: Header[];
  body: string | undefined;
  allowPrivate: boolean;
  redirected: boolean;
  /** false: a redirect is the answer (maxRedirects 0). */
  follow: boolean;
}
type Final = Omit<HttpResponse, "url" | "attempts" | "redirects" | "durationMs">;
type Answer =
  | { kind: "final"; response: Final }
  | { kind: "retry"; retryAfterMs: number | null }
  | { kind: "redirect"; status: number; location: string };

/** One try of one hop, within its own time limit. `last`: a retryable status is the answer. */
async function attempt(hop: Hop, request: HttpRequest, last: boolean): Promise<Answer> {
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(new Error("timeout")), request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timer.signal, request.signal]) : timer.signal;
  const host = hostOf(hop.url);
  try {
    const res = await undiciRequest(hop.url, {
      method: hop.method,
      headers: hop.headers.flat(),
      body: hop.body,
      signal,
      dispatcher: agent(hop.allowPrivate),
      maxRedirections: 0,
      headersTimeout: request.timeoutMs + 1_000, // the timer above fires first, with the clearer message
      bodyTimeout: request.timeoutMs + 1_000,
    });
    const headers = responseHeaders(res.headers);
    if (hop.follow && REDIRECT_STATUSES.has(res.statusCode) && headers.location) {
      discard(res.body);
      return { kind: "redirect", status: res.statusCode, location: headers.location };
    }
    if (RETRY_STATUSES.has(res.statusCode) && !last) {
      discard(res.body);
      return { kind: "retry", retryAfterMs: retryAfterMs(headers["retry-after"], Date.now()) };
    }
    const length = Number(headers["content-length"]);
    if (Number.isFinite(length) && length > request.maxResponseBytes) {
      discard(res.body);
      throw tooLarge(host, request.maxResponseBytes);
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > request.maxResponseBytes) {
        discard(res.body);
        throw tooLarge(host, request.maxResponseBytes);
      }
      chunks.push(chunk);
    }
    return {
      kind: "final",
      response: {
        status: res.statusCode,
        statusText: STATUS_CODES[res.statusCode] ?? "",
        headers,
        body: new TextDecoder().decode(Buffer.concat(chunks)),
        bytes,
      },
    };
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason;
    if (timer.signal.aborted)
      throw new HttpFailure(`the request to ${host} timed out after ${seconds(request.timeoutMs)} s`, { cause: error });
    throw refusal(error, hop) ?? connectionFailure(error, host);
  } finally {
    clearTimeout(timeout);
  }
}

/** The EgressRefused a failure carries (the lookup's, possibly wrapped), for a redirect's hop as "redirect". */
function refusal(error: unknown, hop: Hop): EgressRefused | null {
  let found: unknown = error;
  for (let depth = 0; found && depth < 4 && !(found instanceof EgressRefused); depth++)
    found = (found as { cause?: unknown }).cause;
  if (!(found instanceof EgressRefused)) return null;
  if (!hop.redirected) return found;
  return new EgressRefused(`the redirect to ${hostOf(hop.url)} was refused: ${found.message}`, "redirect");
}

/** The common ways a connection fails, in words (the code follows, for whoever searches for it). */
const SOCKET_WORDS: Record<string, string> = {
  ECONNREFUSED: "nothing is listening at that address",
  ENOTFOUND: "no host has that name",
  EAI_AGAIN: "its name could not be looked up just now",
  ETIMEDOUT: "it did not answer in time",
  UND_ERR_CONNECT_TIMEOUT: "it did not answer in time",
  ECONNRESET: "the connection was cut off",
  UND_ERR_SOCKET: "the connection was cut off",
  EHOSTUNREACH: "the host cannot be reached from here",
  ENETUNREACH: "the network cannot be reached from here",
};

/** What undici or the socket threw, said with the host (undici's messages hold no header values). */
function connectionFailure(error: unknown, host: string): Error {
  if (error instanceof HttpFailure || !(error instanceof Error)) return error as Error;
  const code = String((error as { code?: unknown }).code ?? "");
  const words = SOCKET_WORDS[code];
  if (words) return new ConnectionFailure(`the request to ${host} failed: ${words} (${code})`, { cause: error });
  // The code once: a socket's message holds it already ("connect ECONNREFUSED 127.0.0.1:9").
  const named = code && !error.message.includes(code) ? ` (${code})` : "";
  return new ConnectionFailure(`the request to ${host} failed: ${error.message}${named}`, { cause: error });
}

const isConnectionError = (error: unknown) => error instanceof ConnectionFailure && error.retryable;

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new Error("the URL is not valid: it must be absolute, like https://api.example.com/items");
  }
}

function redirectTarget(from: URL, location: string): URL {
  try {
    return new URL(location, from);
  } catch {
    throw new HttpFailure(`${hostOf(from)} redirected to an address that is not a valid URL`);
  }
}

function checkLimits(request: HttpRequest): void {
  const positive = (n: number) => Number.isFinite(n) && n > 0;
  if (!positive(request.timeoutMs)) throw new Error("timeoutMs must be a positive number");
  if (!positive(request.maxResponseBytes)) throw new Error("maxResponseBytes must be a positive number");
  if (!Number.isInteger(request.retries) || request.retries < 0) throw new Error("retries must be 0 or more");
  const max = request.maxRedirects;
  if (max !== undefined && (!Number.isInteger(max) || max < 0)) throw new Error("maxRedirects must be 0 or more");
}

const hostOf = (url: URL) => url.host;

/** Lets go of a body not read (its connection closes); the stream's abort error is expected, not thrown. */
function discard(body: Dispatcher.ResponseData["body"]): void {
  body.on("error", () => {});
  body.destroy();
}

const seconds = (ms: number) => String(Number((ms / 1000).toFixed(3)));

function tooLarge(host: string, limit: number): Error {
  return new HttpFailure(
    `the response from ${host} is larger than the limit of ${limit.toLocaleString("en-US")} bytes (maxResponseBytes)`,
  );
}
