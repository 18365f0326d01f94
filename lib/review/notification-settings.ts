import "server-only";
import { recordAudit } from "../audit/record";
import type { Viewer } from "../auth/session";
import { env } from "../config/env";
import { open, seal } from "../crypto/secret-box";
import { db } from "../db/client";
import { AppError } from "../errors/app-error";
import type { NotificationSettingsInput } from "../schemas/review";
import { workspaceRules } from "../egress/destinations";
import { postWebhook, publicUrl, settingsKey } from "./notify";

/** The webhook's address shown masked (it often carries a token): scheme, host, and the last 4 characters. */
function masked(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…${url.slice(-4)}`;
  } catch {
    return `…${url.slice(-4)}`;
  }
}

/** What the settings page shows: never the URL or secret themselves. */
export async function getNotificationSettings(viewer: Viewer) {
  const prisma = await db();
  const row = await prisma.notificationSettings.findUnique({ where: { workspaceId: viewer.workspace.id } });
  return {
    webhook: row?.webhookUrl ? masked(open(row.webhookUrl, settingsKey())) : null,
    hasSecret: !!row?.webhookSecret,
    email: row?.email ?? false,
    smtpConfigured: !!env().SMTP_URL,
  };
}
export type NotificationSettingsView = Awaited<ReturnType<typeof getNotificationSettings>>;

export async function saveNotificationSettings(viewer: Viewer, input: NotificationSettingsInput) {
  const prisma = await db();
  if (input.email && !env().SMTP_URL) {
    throw new AppError(
      "bad_request",
      "body.email: this server has no SMTP_URL, so it cannot send email; set SMTP_URL (such as smtp://user:password@mail.example.com:587) and restart.",
      { fields: [{ path: "body.email", message: "No SMTP_URL on this server" }] },
    );
  }
  const data = {
    ...(input.webhookUrl !== undefined && {
      webhookUrl: input.webhookUrl ? seal(input.webhookUrl, settingsKey()) : null,
    }),
    ...(input.webhookSecret !== undefined && {
      webhookSecret: input.webhookSecret ? seal(input.webhookSecret, settingsKey()) : null,
    }),
    ...(input.email !== undefined && { email: input.email }),
  };
  await prisma.$transaction(async (tx) => {
    await tx.notificationSettings.upsert({
      where: { workspaceId: viewer.workspace.id },
      create: { workspaceId: viewer.workspace.id, ...data },
      update: data,
    });
    await recordAudit(tx, {
      workspaceId: viewer.workspace.id,
      actorId: viewer.user.id,
      action: "notifications.update",
      targetType: "NotificationSettings",
      targetId: viewer.workspace.id,
      after: {
        webhook: input.webhookUrl === undefined ? "kept" : input.webhookUrl ? "set" : "removed",
        secret: input.webhookSecret === undefined ? "kept" : input.webhookSecret ? "set" : "removed",
        email: input.email ?? "kept",
      },
    });
  });
  return getNotificationSettings(viewer);
}

/** Sends a test event to the webhook now and says what it answered. */
export async function testWebhook(viewer: Viewer): Promise<{ ok: boolean; message: string }> {
  const prisma = await db();
  const row = await prisma.notificationSettings.findUnique({ where: { workspaceId: viewer.workspace.id } });
  if (!row?.webhookUrl) throw new AppError("bad_request", "Set a webhook URL first.");
  const body = JSON.stringify({
    event: "test",
    at: new Date().toISOString(),
    workspaceId: viewer.workspace.id,
    message: `A test from ${viewer.user.name}.`,
    url: publicUrl("/inbox"),
  });
  try {
    const res = await postWebhook(
      { webhookUrl: row.webhookUrl, webhookSecret: row.webhookSecret },
      "test",
      body,
      await workspaceRules(viewer.workspace.id),
    );
    return res.ok
      ? { ok: true, message: `The webhook answered ${res.status}.` }
      : {
          ok: false,
          message: `The webhook answered ${res.status} ${res.statusText}; notifications to it would be retried, then dropped.`,
        };
  } catch (error) {
    return {
      ok: false,
      message: `Could not reach the webhook: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}.`,
    };
  }
}
