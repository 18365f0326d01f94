import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { db } from "../db/client";
import { isUniqueViolation } from "../db/unique-violation";
import { AppError, type FieldProblem } from "../errors/app-error";
import { logger } from "../log/logger";
import { awaitRun } from "../runs/await-run";
import { startRun } from "../runs/start-run";
import { runOutputOf, type RunStatus } from "../schemas/run";
import { findUnstorable, storableText } from "../schemas/storable";
import { pruneDeliveries } from "./deliveries";
import { firstTime, forget, takeRates } from "./rate";
import { sameSecret } from "./secret";
import { gone, webhooks, type Trigger } from "./webhook-cache";

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

async function enabledWebhook(id: string) {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw gone();
  return webhooks.get(id);
}

async function enabledTrigger(id: string): Promise<Trigger> {
  return (await enabledWebhook(id)).trigger;
}

/** The signature a sender computes: HMAC-SHA256 of `<t>.<body>` with the secret, in hex. */
export const webhookSignature = (secret: string, t: number, body: string) =>
  createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");

/**
 * Throws 401 naming what is missing or wrong, unless the request carries the trigger's secret or
 * signature; answers the signature (hex) of a signed delivery, null for a token.
 */
export function authenticate(trigger: Trigger, headers: Headers, body: string, now = Date.now()): string | null {
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
    return null;
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
  return v1.toLowerCase();
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
  // A run that failed is still an answer (200, not a 5xx a sender would retry, starting it again).
  if (run.status === "FAILED" || run.status === "CANCELLED")
    return {
      status: 200,
      body: {
        runId,
        status: run.status,
        error: {
          code: `run_${run.status.toLowerCase()}`,
          message: run.error ?? `The run ${run.status.toLowerCase()}.`,
        },
      },
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

/** How long a claimed key may stay "starting" before another delivery takes it over (its process died). */
const ABANDONED_AFTER_MS = 30_000;

/**
 * A delivery whose key is already claimed: the first one's run, followed again, once it has one.
 * A claim let go (nothing started) or abandoned (its process stopped) is claimed anew.
 */
async function replay(
  trigger: Trigger,
  key: string,
  d: Delivery,
  tries: number,
  signature: string | null,
): Promise<WebhookAnswer> {
  const prisma = await db();
  const until = Date.now() + 10_000;
  for (;;) {
    const first = await prisma.triggerDelivery.findUnique({
      where: { triggerId_idempotencyKey: { triggerId: trigger.id, idempotencyKey: key } },
    });
    if (first?.runId) {
      const answer = await answerFor(trigger, first.runId, d.signal);
      return { ...answer, headers: { ...answer.headers, "idempotent-replayed": "true" } };
    }
    if (first && first.status === 0 && Date.now() - first.at.getTime() > ABANDONED_AFTER_MS)
      await prisma.triggerDelivery.updateMany({
        where: { id: first.id, status: 0, runId: null },
        data: { idempotencyKey: null, status: 500, error: "Abandoned: the process handling it stopped." },
      });
    if (!first || first.status !== 0 || Date.now() - first.at.getTime() > ABANDONED_AFTER_MS) {
      if (tries >= 3) break;
      return deliverOnce(trigger, key, d, tries + 1, signature);
    }
    if (Date.now() > until || d.signal.aborted) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new AppError("conflict", "A delivery with this Idempotency-Key is still starting; try again in a moment.");
}

/** Handles one delivery end to end and records it (refusals before the body is read are not recorded). */
export async function deliver(d: Delivery): Promise<WebhookAnswer> {
  const trigger = await enabledTrigger(d.triggerId);
  const signature = authenticate(trigger, d.headers, d.body);
  await takeRates(
    [["hook", trigger.config.perMinute, trigger.id]],
    `This webhook takes ${trigger.config.perMinute} deliveries a minute`,
  );
  // A signed delivery sent again (a replay within the signature's window) is the same delivery.
  const own = claimKey(d.headers) ?? (signature ? `signature:${signature}` : null);
  return deliverOnce(trigger, own === null ? null : `${d.test ? "test" : "live"}:${own}`, d, 0, signature);
}

/**
 * A signature starts at most one delivery, whatever Idempotency-Key comes with it, live or test,
 * as long as it is valid (twice the window: a clock ahead or behind): a captured delivery sent
 * again with a new key, or a signed status request (an empty body) sent as a delivery, is refused.
 */
const SIGNATURES_KEPT_SECONDS = 2 * SIGNATURE_TOLERANCE_SECONDS;
const signatureUnused = (trigger: Trigger, signature: string) =>
  firstTime("webhook-signature", `${trigger.id}:${signature}`, SIGNATURES_KEPT_SECONDS);
const signatureUsed = () =>
  new AppError(
    "conflict",
    "X-Flowdeck-Signature: this signature was used before; sign each delivery when you send it (a retry of the same delivery keeps its Idempotency-Key).",
  );

async function deliverOnce(
  trigger: Trigger,
  key: string | null,
  d: Delivery,
  tries: number,
  signature: string | null = null,
): Promise<WebhookAnswer> {
  const started = performance.now();
  const prisma = await db();
  const payload = storableText(d.body.slice(0, PAYLOAD_KEPT));
  // A key is claimed by a row before anything starts; a delivery without one is recorded once, at its end.
  let deliveryId: string | null = null;
  if (key !== null) {
    try {
      ({ id: deliveryId } = await prisma.triggerDelivery.create({
        data: { triggerId: trigger.id, test: d.test, idempotencyKey: key, status: 0, payload },
        select: { id: true },
      }));
    } catch (error) {
      if (isUniqueViolation(error)) return replay(trigger, key, d, tries, signature);
      throw error;
    }
  }
  if (Math.random() < 0.05) void pruneDeliveries(trigger.id).catch(() => undefined);
  const record = async (data: { status: number; runId?: string; error?: string | null; idempotencyKey?: null }) => {
    const values = {
      ...data,
      error: data.error && storableText(data.error),
      ms: Math.round(performance.now() - started),
    };
    await (
      deliveryId
        ? prisma.triggerDelivery.update({ where: { id: deliveryId }, data: values })
        : prisma.triggerDelivery.create({ data: { ...values, triggerId: trigger.id, test: d.test, payload } })
    ).catch((e: unknown) => logger().warn({ err: e, triggerId: trigger.id }, "could not record a webhook delivery"));
  };
  let runId: string;
  let usedSignature: AppError | null = null;
  try {
    // Claimed anew (a key already claimed is a retry, answered by `replay`): its signature must be unused.
    if (signature && !(await signatureUnused(trigger, signature))) throw (usedSignature = signatureUsed());
    const input = inputOf(d.headers, d.body);
    const found = await enabledWebhook(trigger.id);
    if (found.starter instanceof AppError) throw found.starter;
    ({ id: runId } = await startRun(
      found.starter,
      trigger.workflowId,
      { input, mode: d.test ? "draft" : "published" },
      { trigger: "webhook", triggerId: trigger.id },
    ).catch((error: unknown) => {
      throw error instanceof AppError ? asBodyFields(error) : error;
    }));
  } catch (error) {
    // Nothing started: recorded with its answer, and the key and signature let go, so a retry
    // (corrected, or the same one after a fault here) may use them.
    if (signature && error !== usedSignature)
      await forget("webhook-signature", `${trigger.id}:${signature}`, SIGNATURES_KEPT_SECONDS).catch(() => undefined);
    await record({
      status: error instanceof AppError ? error.status : 500,
      error: error instanceof AppError ? error.message : "internal error",
      idempotencyKey: null,
    });
    throw error;
  }
  // The run exists: from now on a retry with the key gets it, whatever happens to this request.
  if (deliveryId) await record({ status: 202, runId });
  const answer = await answerFor(trigger, runId, d.signal);
  if (!deliveryId || answer.status !== 202) {
    const failed = answer.body.error as { message?: string } | undefined;
    await record({ status: answer.status, runId, error: failed?.message ?? null });
  }
  return answer;
}

/** A webhook run's state, for its status URL (authenticated as a delivery is, over an empty body). */
export async function webhookRunStatus(triggerId: string, runId: string, headers: Headers) {
  const trigger = await enabledTrigger(triggerId);
  const signature = authenticate(trigger, headers, "");
  // Its signature is one of an empty body's: marked used, so it cannot be sent again as a delivery.
  if (signature) await signatureUnused(trigger, signature);
  const prisma = await db();
  const run = await prisma.run.findFirst({
    where: { id: runId, triggerId: trigger.id },
    select: { status: true, output: true, error: true },
  });
  if (!run) throw new AppError("not_found", "This webhook started no such run.");
  return { runId, status: run.status, output: runOutputOf(run.output), error: run.error };
}
