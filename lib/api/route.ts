import "server-only";
import { randomUUID } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import type { Logger } from "pino";
import { z, type ZodType } from "zod";
import { isConnectionError } from "../db/transient";
import { isUniqueViolation, uniqueFields } from "../db/unique-violation";
import { AppError, type FieldProblem } from "../errors/app-error";
import { currentViewer, type Viewer } from "../auth/session";
import { bearerKey, viewerFromApiKey } from "../auth/api-keys";
import { logger } from "../log/logger";
import { isAnswer, jsonResponse, readBodyOf, servedByLane, withWholeBody } from "./read-body";
import { can, type Permission } from "../schemas/permissions";
import { findUnstorable } from "../schemas/storable";

/**
 * The one wrapper every API route goes through: request id and log line, session, role and
 * workspace checks, zod parsing of params, query and body, and typed errors mapped to HTTP
 * status with the body `{ error: { code, message, fields? } }`.
 */
const DEFAULT_MAX_BODY_BYTES = 1_000_000;

interface Spec<P, Q, B> {
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  maxBodyBytes?: number;
}

interface Input<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  request: NextRequest;
  log: Logger;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };
type Handler = (request: NextRequest, context: RouteContext) => Promise<Response>;

/** A handler's plain result becomes a 200 JSON body; return a Response for anything else. */
export function json(data: unknown, status = 200, headers?: HeadersInit): NextResponse {
  const text = JSON.stringify(data) ?? "null";
  const all = new Headers(headers);
  all.set("content-type", "application/json");
  return withWholeBody(new NextResponse(text, { status, headers: all }), text);
}

function problems(error: z.ZodError, where: string): FieldProblem[] {
  return error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join("."), message: i.message }));
}

/**
 * Parses one part of the request with its schema. Whatever the schema, nothing that
 * PostgreSQL cannot store gets through (a NUL, an unpaired surrogate, JSON nested too deep):
 * it would be a 500 from the database otherwise.
 */
function parse<T>(schema: ZodType<T> | undefined, value: unknown, where: string): T {
  const unstorable = findUnstorable(value, where);
  if (unstorable)
    throw new AppError("bad_request", `${unstorable.path}: ${unstorable.message}.`, { fields: [unstorable] });
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = problems(result.error, where);
  const first = fields[0]!;
  throw new AppError("bad_request", `${first.path}: ${first.message}`, { fields });
}

async function readBody(request: NextRequest, maxBytes: number): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new AppError(
      "unsupported_media_type",
      "Send the body as JSON with the header Content-Type: application/json.",
    );
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = readBodyOf(request) ?? (await request.text());
  if (Buffer.byteLength(text) > maxBytes) throw tooLarge(maxBytes);
  if (text.trim() === "")
    throw new AppError("bad_request", "body: the request body is empty; send a JSON object.", {
      fields: [{ path: "body", message: "empty" }],
    });
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : "";
    throw new AppError("bad_request", `body: not valid JSON (${detail})`, {
      fields: [{ path: "body", message: "not valid JSON" }],
    });
  }
}

const tooLarge = (max: number) =>
  new AppError("payload_too_large", `body: larger than the ${Math.round(max / 1000)} kB this endpoint accepts.`);

/** Same-origin check for state-changing requests from browsers (CSRF defence beside SameSite cookies). */
function checkOrigin(request: NextRequest) {
  if (request.method === "GET" || request.method === "HEAD") return;
  const origin = request.headers.get("origin");
  if (!origin) return;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  // `Origin: null` (a sandboxed frame, a file, a cross-site redirect) is no URL, and not ours.
  if (!URL.canParse(origin) || new URL(origin).host !== host)
    throw new AppError("forbidden", "Cross-site requests are not accepted.");
}

function errorResponse(error: unknown, log: Logger, requestId: string, body?: unknown): Response {
  if (error instanceof AppError) {
    const headers: Record<string, string> = { "x-request-id": requestId };
    if (error.extra.retryAfterSeconds) headers["retry-after"] = String(error.extra.retryAfterSeconds);
    return json(
      { error: { code: error.code, message: error.message, fields: error.extra.fields } },
      error.status,
      headers,
    );
  }
  if (isConnectionError(error)) {
    log.warn({ err: error }, "database not reachable");
    return json(
      {
        error: {
          code: "unavailable",
          message: "The database cannot be reached just now. Try again in a moment; nothing was lost.",
        },
      },
      503,
      { "x-request-id": requestId, "retry-after": "2" },
    );
  }
  if (isUniqueViolation(error)) {
    // A unique field taken that the service did not check for itself: named when the request
    // sent it (a name), else a write that raced another one (a publish, a grant): try again.
    const sentFields = body !== null && typeof body === "object" ? Object.keys(body as Record<string, unknown>) : [];
    const fields = uniqueFields(error).filter((f) => sentFields.includes(f));
    log.warn({ err: error, fields }, "a unique field was already taken");
    return json(
      {
        error: {
          code: "conflict",
          message: fields.length
            ? `${fields.map((f) => `body.${f}`).join(", ")}: already taken by another one here; choose another.`
            : "This changed at the same moment as another request; try again.",
          ...(fields.length && { fields: fields.map((f) => ({ path: `body.${f}`, message: "already taken" })) }),
        },
      },
      409,
      { "x-request-id": requestId },
    );
  }
  log.error({ err: error }, "unhandled error in API route");
  return json(
    {
      error: {
        code: "internal",
        message: `Something went wrong on the server. Quote request id ${requestId} when reporting it.`,
      },
    },
    500,
    { "x-request-id": requestId },
  );
}

function wrap<P, Q, B, C>(
  spec: Spec<P, Q, B>,
  authorize: (log: () => Logger, request: NextRequest) => Promise<C>,
  handler: (input: Input<P, Q, B> & { ctx: C }) => Promise<unknown>,
): Handler {
  return async (request, context) => {
    const started = performance.now();
    const requestId = request.headers.get("x-request-id")?.slice(0, 64) || randomUUID();
    // Made when first used: most requests only log their one line, and only when info is on.
    let child: Logger | undefined;
    const log = () => (child ??= logger().child({ requestId, method: request.method, path: request.nextUrl.pathname }));
    let response: Response;
    let sent: unknown;
    try {
      checkOrigin(request);
      const ctx = await authorize(log, request);
      const params = parse(spec.params, await context.params, "params");
      const query = parse(spec.query, Object.fromEntries(request.nextUrl.searchParams), "query");
      const body = spec.body
        ? parse(spec.body, await readBody(request, spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES), "body")
        : (undefined as B);
      sent = body;
      const result = await handler({
        params,
        query,
        body,
        request,
        get log() {
          return log();
        },
        ctx,
      });
      response = isAnswer(result)
        ? result
        : jsonResponse(JSON.stringify(result ?? { ok: true }), servedByLane(request), { status: 200 });
      response.headers.set("x-request-id", requestId);
    } catch (error) {
      response = errorResponse(error, log(), requestId, sent);
    }
    const ms = performance.now() - started;
    // Time spent in our code, for the browser's network panel and for benchmarks.
    response.headers.set("server-timing", `app;dur=${ms.toFixed(2)}`);
    if (logger().isLevelEnabled("info")) log().info({ status: response.status, ms: Math.round(ms) }, "request");
    return response;
  };
}

/** A route anyone may call (health, first-run setup, accepting an invitation). */
export function publicRoute<P = undefined, Q = undefined, B = undefined>(
  spec: Spec<P, Q, B>,
  handler: (input: Input<P, Q, B>) => Promise<unknown>,
): Handler {
  return wrap(spec, async () => undefined, handler);
}

/**
 * A route for signed-in members of the current workspace. `permission` is checked against
 * their role there; pass "member" for anything every member may do.
 */
export function route<P = undefined, Q = undefined, B = undefined>(
  spec: Spec<P, Q, B> & {
    permission: Permission | "member";
    /** Integrations may call this route with `Authorization: Bearer <personal API key>`. */
    apiKey?: boolean;
  },
  handler: (input: Input<P, Q, B> & { ctx: Viewer }) => Promise<unknown>,
): Handler {
  return wrap(
    spec,
    async (log, request) => {
      const key = spec.apiKey ? bearerKey(request.headers.get("authorization")) : null;
      const viewer = key ? await viewerFromApiKey(key) : await currentViewer();
      if (!viewer) {
        throw new AppError(
          "unauthorized",
          key
            ? "This API key is not valid: it is unknown or revoked, or its owner is no longer a member."
            : "Sign in to continue.",
        );
      }
      if (spec.permission !== "member" && !can(viewer.role, spec.permission)) {
        log().warn({ userId: viewer.user.id, role: viewer.role, permission: spec.permission }, "permission refused");
        throw new AppError(
          "forbidden",
          `Your role (${viewer.role.toLowerCase()}) may not do this; it needs ${spec.permission}.`,
        );
      }
      return viewer;
    },
    handler,
  );
}
