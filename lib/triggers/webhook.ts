import "server-only";
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { RateLimiterPrisma, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Viewer } from "../auth/session";
import { db } from "../db/client";
import { isUniqueViolation } from "../db/unique-violation";
import { AppError, type FieldProblem } from "../errors/app-error";
import { logger } from "../log/logger";
import { processSingleton } from "../process/singleton";
import { awaitRun } from "../runs/await-run";
import { startRun } from "../runs/start-run";
import { runOutputOf, type RunStatus } from "../schemas/run";
import { findUnstorable } from "../schemas/storable";
import { webhookConfigSchema, type WebhookConfig } from "../schemas/triggers";
import { openSecret } from "./triggers";

/**
 * A delivery to a webhook's URL (`POST /api/hooks/:id`, or `/test` for the draft): checked in
 * this order, each refusal naming what is wrong: the trigger exists and is on (404, the same
 * answer for both), its secret token or HMAC signature (401), its rate (429), the body (413,
 * 415, 400 naming the field), then the run is started as the person who made the trigger and
 * answered at once (async: 202 with the run id and a status URL) or with its result (sync).
 * An `Idempotency-Key` makes a retried delivery answer with the first one's run: the key is
 * claimed by a row before anything starts, so two deliveries racing with one key start one run.
 */
export const MAX_WEBHOOK_BODY_BYTES = 1_000_000;
/** How far a signature's timestamp may be from now (replays older than this are refused). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
const PAYLOAD_KEPT = 4_000;

export interface Delivery {
  triggerId: string;
  test: boolean;
  headers: Headers;
  body: string;
  signal: AbortSignal;
}

interface Trigger {
  id: string;
  workspaceId: string;
  workflowId: string;
  config: WebhookConfig;
  secret: string;
  createdById: string;
}

const gone = () => new AppError("not_found", "There is no webhook at this address, or it is turned off.");

async function enabledTrigger(id: string): Promise<Trigger> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw gone();
  const prisma = await db();
  const row = await prisma.trigger.findUnique({ where: { id } });
  if (!row || !row.enabled) throw gone();
  return { ...row, config: webhookConfigSchema.parse(row.config), secret: openSecret(row.secret) };
}

const sameSecret = (a: string, b: string) =>
  timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());

/** The signature a sender computes: HMAC-SHA256 of `<t>.<body>` with the secret, in hex. */
export const webhookSignature = (secret: string, t: number, body: string) =>
  createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");

/** Throws 401 naming what is missing or wrong, unless the request carries the trigger's secret or signature. */
export function authenticate(trigger: Trigger, headers: Headers, body: string, now = Date.now()): void {
  if (trigger.config.auth === "token") {
    const bearer = /^Bearer\s+(\S+)$/i.exec(headers.get("authorization") ?? "")?.[1];
    const token = bearer ?? headers.get("x-flowdeck-token");
    if (!token)
      throw new AppError(
        "unauthorized",
        "This webhook needs its secret token: send it as Authorization: Bearer <token> (or X-Flowdeck-Token).",
      );
    if (!sameSecret(token, trigger.secret))
      throw new AppError("unauthorized", "The token does not match this webhook's.");
    return;
  }
  const header = headers.get("x-flowdeck-signature");
  if (!header)
    throw new AppError(
      "unauthorized",
      "This webhook needs a signature: X-Flowdeck-Signature: t=<unix seconds>,v1=<HMAC-SHA256 of “<t>.<body>” in hex>.",
    );
  const parts = new Map(header.split(",").map((p) => p.trim().split("=", 2) as [string, string]));
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/i.test(v1))
    throw new AppError("unauthorized", "X-Flowdeck-Signature: write it as t=<unix seconds>,v1=<64 hex digits>.");
  if (Math.abs(now / 1000 - t) > SIGNATURE_TOLERANCE_SECONDS)
    throw new AppError(
      "unauthorized",
      `X-Flowdeck-Signature: its time is more than ${SIGNATURE_TOLERANCE_SECONDS / 60} minutes from now; sign each delivery when you send it.`,
    );
  const expected = Buffer.from(webhookSignature(trigger.secret, t, body), "hex");
  if (!timingSafeEqual(expected, Buffer.from(v1.toLowerCase(), "hex")))
    throw new AppError(
      "unauthorized",
      "X-Flowdeck-Signature: the signature does not match the body and this webhook's secret.",
    );
}

const limiters = () => processSingleton("webhook-limiters", () => new Map<number, Promise<RateLimiterAbstract>>());
function limiter(perMinute: number): Promise<RateLimiterAbstract> {
  let made = limiters().get(perMinute);
  if (!made) {
    made = db().then(
      (prisma) =>
        new RateLimiterPrisma({
          storeClient: prisma,
          tableName: "rateLimiterFlexible",
          keyPrefix: `hook:${perMinute}`,
          points: perMinute,
          duration: 60,
        }),
    );
    limiters().set(perMinute, made);
  }
  return made;
}

async function takeRate(trigger: Trigger): Promise<void> {
  try {
    await (await limiter(trigger.config.perMinute)).consume(trigger.id, 1);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const retry = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw new AppError(
      "rate_limited",
      `This webhook takes ${trigger.config.perMinute} deliveries a minute; try again in ${retry} s.`,
      { retryAfterSeconds: retry },
    );
  }
}

/** The body as the run's input: a JSON object whose keys are the Start fields (empty: none). */
export function inputOf(headers: Headers, body: string): Record<string, unknown> {
  if (Buffer.byteLength(body) > MAX_WEBHOOK_BODY_BYTES)
    throw new AppError(
      "payload_too_large",
      `body: larger than the ${MAX_WEBHOOK_BODY_BYTES / 1_000_000} MB a webhook accepts.`,
    );
  if (body.trim() === "") return {};
  const type = headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json"))
    throw new AppError(
      "unsupported_media_type",
      "Send the body as JSON with the header Content-Type: application/json.",
    );
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new AppError("bad_request", `body: not valid JSON (${error instanceof Error ? error.message : ""})`, {
      fields: [{ path: "body", message: "not valid JSON" }],
    });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new AppError("bad_request", "body: send a JSON object whose keys are the workflow's Start fields.", {
      fields: [{ path: "body", message: "not a JSON object" }],
    });
  const unstorable = findUnstorable(value, "body");
  if (unstorable)
    throw new AppError("bad_request", `${unstorable.path}: ${unstorable.message}.`, { fields: [unstorable] });
  return value as Record<string, unknown>;
}

/** The person a webhook's runs start as: who made it, while still an active member. */
async function starter(trigger: Trigger): Promise<Viewer> {
  const prisma = await db();
  const m = await prisma.membership.findUnique({
    where: { userId_workspaceId: { userId: trigger.createdById, workspaceId: trigger.workspaceId } },
    include: { user: true, workspace: true },
  });
  if (!m || m.status !== "ACTIVE")
    throw new AppError(
      "forbidden",
      "The person who made this webhook is no longer a member of the workspace; a builder must make it again.",
    );
  const workspace = { id: m.workspaceId, name: m.workspace.name };
  return {
    user: { id: m.user.id, email: m.user.email, name: m.user.name },
    workspaces: [{ ...workspace, role: m.role }],
    workspace,
    role: m.role,
  };
}

/** The input's problems named where the sender put them (the body is the input). */
const asBodyFields = (error: AppError): AppError =>
  error.extra.fields
    ? new AppError(error.code, error.message.replace(/^body\.input\./, "body."), {
        ...error.extra,
        fields: error.extra.fields.map((f: FieldProblem) => ({
          ...f,
          path: f.path.replace(/^body\.input\./, "body."),
        })),
      })
    : error;

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

const statusUrl = (triggerId: string, runId: string) => `/api/hooks/${triggerId}/runs/${runId}`;

/** What a delivery that started `runId` answers: at once, or the run's result when it ends in time. */
async function answerFor(trigger: Trigger, runId: string, signal: AbortSignal): Promise<WebhookAnswer> {
  const pending = (status: RunStatus): WebhookAnswer => ({
    status: 202,
    body: { runId, status, statusUrl: statusUrl(trigger.id, runId) },
    headers: { location: statusUrl(trigger.id, runId) },
  });
  if (trigger.config.mode === "async") return pending("QUEUED");
  const run = await awaitRun(runId, trigger.config.waitSeconds * 1000, signal);
  if (run.status === "COMPLETED") return { status: 200, body: { runId, status: run.status, output: run.output } };
  if (run.status === "FAILED" || run.status === "CANCELLED")
    return {
      status: 500,
      body: { runId, status: run.status, error: run.error ?? `The run ${run.status.toLowerCase()}.` },
    };
  return pending(run.status);
}

const claimKey = (headers: Headers): string | null => {
  const key = headers.get("idempotency-key");
  if (key === null) return null;
  if (!/^[\x21-\x7e]{1,200}$/.test(key))
    throw new AppError("bad_request", "Idempotency-Key: use 1 to 200 visible ASCII characters.", {
      fields: [{ path: "headers.Idempotency-Key", message: "1 to 200 visible ASCII characters" }],
    });
  return key;
};

/** A delivery with a key already claimed: the first one's answer (its run followed again), once it has one. */
async function replay(trigger: Trigger, key: string, signal: AbortSignal): Promise<WebhookAnswer> {
  const prisma = await db();
  const until = Date.now() + 10_000;
  for (;;) {
    const first = await prisma.triggerDelivery.findUnique({
      where: { triggerId_idempotencyKey: { triggerId: trigger.id, idempotencyKey: key } },
    });
    if (first && first.status !== 0) {
      const replayed = { "idempotent-replayed": "true" };
      if (first.runId) {
        const answer = await answerFor(trigger, first.runId, signal);
        return { ...answer, headers: { ...answer.headers, ...replayed } };
      }
      return { status: first.status, body: { error: { code: "replayed", message: first.error } }, headers: replayed };
    }
    if (Date.now() > until || signal.aborted)
      throw new AppError("conflict", "A delivery with this Idempotency-Key is still starting; try again in a moment.");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Handles one delivery end to end and records it (a refusal before authentication is not recorded). */
export async function deliver(d: Delivery): Promise<WebhookAnswer> {
  const started = performance.now();
  const trigger = await enabledTrigger(d.triggerId);
  authenticate(trigger, d.headers, d.body);
  const key = claimKey(d.headers);
  const prisma = await db();
  let deliveryId: string;
  try {
    ({ id: deliveryId } = await prisma.triggerDelivery.create({
      data: {
        triggerId: trigger.id,
        test: d.test,
        idempotencyKey: key,
        status: 0,
        payload: d.body.slice(0, PAYLOAD_KEPT),
      },
      select: { id: true },
    }));
  } catch (error) {
    if (key !== null && isUniqueViolation(error)) return replay(trigger, key, d.signal);
    throw error;
  }
  const record = (status: number, runId: string | null, error: string | null) =>
    prisma.triggerDelivery
      .update({
        where: { id: deliveryId },
        data: { status, runId, error, ms: Math.round(performance.now() - started) },
      })
      .catch((e: unknown) => logger().warn({ err: e, triggerId: trigger.id }, "could not record a webhook delivery"));
  let runId: string | null = null;
  try {
    await takeRate(trigger);
    const input = inputOf(d.headers, d.body);
    const viewer = await starter(trigger);
    ({ id: runId } = await startRun(
      viewer,
      trigger.workflowId,
      { input, mode: d.test ? "draft" : "published" },
      { trigger: "webhook", triggerId: trigger.id },
    ).catch((error: unknown) => {
      throw error instanceof AppError ? asBodyFields(error) : error;
    }));
  } catch (error) {
    await record(
      error instanceof AppError ? error.status : 500,
      null,
      error instanceof AppError ? error.message : "internal error",
    );
    throw error;
  }
  const answer = await answerFor(trigger, runId, d.signal);
  await record(answer.status, runId, typeof answer.body.error === "string" ? answer.body.error : null);
  return answer;
}

/** A webhook run's state, for its status URL (authenticated as a delivery is, over an empty body). */
export async function webhookRunStatus(triggerId: string, runId: string, headers: Headers) {
  const trigger = await enabledTrigger(triggerId);
  authenticate(trigger, headers, "");
  const prisma = await db();
  const run = await prisma.run.findFirst({
    where: { id: runId, triggerId: trigger.id },
    select: { status: true, output: true, error: true },
  });
  if (!run) throw new AppError("not_found", "This webhook started no such run.");
  return { runId, status: run.status, output: runOutputOf(run.output), error: run.error };
}
