import "server-only";
import { randomBytes } from "node:crypto";
import { recordAudit } from "../audit/record";
import type { Viewer } from "../auth/session";
import { seal } from "../crypto/secret-box";
import { openSecret, secretsKey } from "./secret";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { toJson } from "../db/json";
import { AppError, notFound } from "../errors/app-error";
import { logger } from "../log/logger";
import {
  chatConfigSchema,
  formConfigSchema,
  scheduleConfigSchema,
  storedScheduleConfigSchema,
  webhookConfigSchema,
  type CreateTriggerInput,
  type DeliveryView,
  type TriggerView,
  type UpdateTriggerInput,
} from "../schemas/triggers";
import { sendNextTick } from "./schedules";
import { forgetWebhook } from "./webhook-cache";

/**
 * A workflow's triggers (webhooks, schedules, hosted forms, chats): made, changed, turned on and off, deleted and their
 * secret rotated by builders, every change audited without the secret. The secret is sealed at
 * rest and shown once, in the answer that made or rotated it.
 */

/** The URL's unguessable part (144 random bits) and the secret (256). */
const newId = () => randomBytes(18).toString("base64url");
const newSecret = (kind: string) => `${kind === "chat" ? "chat_" : "whsec_"}${randomBytes(32).toString("base64url")}`;

type Row = {
  id: string;
  workflowId: string;
  kind: string;
  name: string;
  enabled: boolean;
  config: unknown;
  createdAt: Date;
  updatedAt: Date;
  /** Sealed: opened only for a public chat's link (the link is what its makers hand out). */
  secret?: string;
};

function view(row: Row, secret?: string): TriggerView {
  const common = {
    id: row.id,
    workflowId: row.workflowId,
    name: row.name,
    enabled: row.enabled,
    path: `/api/hooks/${row.id}`,
    testPath: `/api/hooks/${row.id}/test`,
    createdAt: row.createdAt.toISOString(),
  };
  if (row.kind === "schedule")
    return {
      ...common,
      path: "",
      testPath: "",
      kind: "schedule",
      config: storedScheduleConfigSchema.parse(row.config),
    };
  if (row.kind === "form")
    return { ...common, path: `/f/${row.id}`, testPath: "", kind: "form", config: formConfigSchema.parse(row.config) };
  if (row.kind === "chat") {
    const config = chatConfigSchema.parse(row.config);
    const token = config.access === "public" && row.secret ? `?t=${encodeURIComponent(openSecret(row.secret))}` : "";
    return {
      ...common,
      path: `/c/${row.id}${token}`,
      testPath: "",
      kind: "chat",
      config,
      widgetPath: token && config.embed ? `/api/chats/${row.id}/widget.js${token}` : "",
    };
  }
  return { ...common, kind: "webhook", config: webhookConfigSchema.parse(row.config), ...(secret ? { secret } : {}) };
}

/** A changed config, checked against the trigger's own kind (400 naming the field). */
function checkedConfig(kind: string, config: unknown): Prisma.InputJsonValue {
  const schema =
    kind === "schedule"
      ? scheduleConfigSchema
      : kind === "form"
        ? formConfigSchema
        : kind === "chat"
          ? chatConfigSchema
          : webhookConfigSchema;
  const parsed = schema.safeParse(config);
  if (parsed.success) return toJson(parsed.data);
  const fields = parsed.error.issues.map((i) => ({
    path: ["body", "config", ...i.path].join("."),
    message: i.message,
  }));
  throw new AppError("bad_request", `${fields[0]!.path}: ${fields[0]!.message}`, { fields });
}

/**
 * After a change: a webhook is read afresh by every process; a schedule's next tick is sent for
 * the new config (the old config's job is ignored when due).
 */
const rescheduled = async (row: Row) => {
  await forgetWebhook(row.id);
  await sendNextTick(row).catch((error: unknown) =>
    logger().warn({ err: error, triggerId: row.id }, "could not send a schedule's next tick"),
  );
};

const audited = (row: Row) => ({ name: row.name, enabled: row.enabled, config: row.config as Prisma.InputJsonValue });

async function workflowOf(viewer: Viewer, workflowId: string) {
  const prisma = await db();
  const workflow = await prisma.workflow.findFirst({
    where: { id: workflowId, workspaceId: viewer.workspace.id, deletedAt: null },
    select: { id: true },
  });
  if (!workflow) throw notFound("Workflow");
  return workflow;
}

async function triggerOf(viewer: Viewer, id: string) {
  const prisma = await db();
  const row = await prisma.trigger.findFirst({ where: { id, workspaceId: viewer.workspace.id } });
  if (!row) throw notFound("Trigger");
  return row;
}

export async function listTriggers(viewer: Viewer, workflowId: string): Promise<TriggerView[]> {
  await workflowOf(viewer, workflowId);
  const prisma = await db();
  const rows = await prisma.trigger.findMany({
    where: { workflowId, workspaceId: viewer.workspace.id },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => view(r));
}

export async function createTrigger(
  viewer: Viewer,
  workflowId: string,
  input: CreateTriggerInput,
): Promise<TriggerView> {
  await workflowOf(viewer, workflowId);
  const prisma = await db();
  const secret = newSecret(input.kind);
  const made = await prisma.$transaction(async (tx) => {
    const row = await tx.trigger.create({
      data: {
        id: newId(),
        workspaceId: viewer.workspace.id,
        workflowId,
        kind: input.kind,
        name: input.name,
        config: toJson(input.config),
        secret: seal(secret, secretsKey()),
        createdById: viewer.user.id,
      },
    });
    await recordAudit(tx, {
      workspaceId: viewer.workspace.id,
      actorId: viewer.user.id,
      action: "trigger.created",
      targetType: "Trigger",
      targetId: row.id,
      after: { ...audited(row), workflowId },
    });
    return row;
  });
  await rescheduled(made);
  return view(made, secret);
}

export async function updateTrigger(viewer: Viewer, id: string, input: UpdateTriggerInput): Promise<TriggerView> {
  const before = await triggerOf(viewer, id);
  const prisma = await db();
  const { config, ...rest } = input;
  const data = { ...rest, ...(config ? { config: checkedConfig(before.kind, config) } : {}) };
  const changed = await prisma.$transaction(async (tx) => {
    const row = await tx.trigger.update({ where: { id }, data });
    await recordAudit(tx, {
      workspaceId: viewer.workspace.id,
      actorId: viewer.user.id,
      action: "trigger.updated",
      targetType: "Trigger",
      targetId: id,
      before: audited(before),
      after: audited(row),
    });
    return row;
  });
  await rescheduled(changed);
  return view(changed);
}

export async function rotateTriggerSecret(viewer: Viewer, id: string): Promise<TriggerView> {
  const trigger = await triggerOf(viewer, id);
  if (trigger.kind !== "webhook" && trigger.kind !== "chat")
    throw new AppError("bad_request", "Only a webhook's secret and a chat's link can be rotated.");
  const prisma = await db();
  const secret = newSecret(trigger.kind);
  const rotated = await prisma.$transaction(async (tx) => {
    const row = await tx.trigger.update({ where: { id }, data: { secret: seal(secret, secretsKey()) } });
    await recordAudit(tx, {
      workspaceId: viewer.workspace.id,
      actorId: viewer.user.id,
      action: "trigger.secret_rotated",
      targetType: "Trigger",
      targetId: id,
    });
    return row;
  });
  // The old secret stops working at once, in every process.
  await forgetWebhook(id);
  return view(rotated, trigger.kind === "webhook" ? secret : undefined);
}

export async function deleteTrigger(viewer: Viewer, id: string): Promise<void> {
  const before = await triggerOf(viewer, id);
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    await tx.trigger.delete({ where: { id } });
    await recordAudit(tx, {
      workspaceId: viewer.workspace.id,
      actorId: viewer.user.id,
      action: "trigger.deleted",
      targetType: "Trigger",
      targetId: id,
      before: audited(before),
    });
  });
  await forgetWebhook(id);
}

/** The trigger's last deliveries, newest first. */
export async function listDeliveries(viewer: Viewer, id: string, take = 50): Promise<DeliveryView[]> {
  await triggerOf(viewer, id);
  const prisma = await db();
  const rows = await prisma.triggerDelivery.findMany({ where: { triggerId: id }, orderBy: { at: "desc" }, take });
  const runIds = rows.map((r) => r.runId).filter((x): x is string => !!x);
  const runs = runIds.length
    ? await prisma.run.findMany({
        where: { workspaceId: viewer.workspace.id, id: { in: runIds } },
        select: { id: true, status: true },
      })
    : [];
  const statusOf = new Map(runs.map((r) => [r.id, r.status.toLowerCase() as DeliveryView["runStatus"]]));
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    test: r.test,
    status: r.status,
    runId: r.runId,
    runStatus: (r.runId && statusOf.get(r.runId)) || null,
    error: r.error,
    payload: r.payload,
    ms: r.ms,
    idempotencyKey: r.idempotencyKey,
  }));
}
