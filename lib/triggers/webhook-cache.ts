import "server-only";
import type { Viewer } from "../auth/session";
import { db } from "../db/client";
import { AppError } from "../errors/app-error";
import { notifiedCache } from "../platform/notified-cache";
import { webhookConfigSchema, type WebhookConfig } from "../schemas/triggers";
import { openSecret } from "./secret";
import { starter } from "./starter";

export const gone = () => new AppError("not_found", "There is no webhook at this address, or it is turned off.");

export interface Trigger {
  id: string;
  workspaceId: string;
  workflowId: string;
  config: WebhookConfig;
  secret: string;
  createdById: string;
}

/**
 * Webhooks as deliveries read them: the row (its secret opened) and the person its runs start
 * as, cached a few seconds and dropped in every process when the trigger changes (a trigger
 * turned off answers 404 at once; a creator's changed role counts within the TTL).
 */
export const webhooks = notifiedCache({
  name: "webhooks",
  channel: "triggers",
  ttlMs: 5_000,
  // A miss is an error, and errors are not kept: ids that lead nowhere never fill the cache.
  load: async (id: string): Promise<{ trigger: Trigger; starter: Viewer | AppError }> => {
    const prisma = await db();
    // A webhook of a deleted workflow (in the bin, restorable) is gone too.
    const row = await prisma.trigger.findFirst({
      where: { id, enabled: true, kind: "webhook", workflow: { deletedAt: null } },
    });
    if (!row) throw gone();
    const trigger = { ...row, config: webhookConfigSchema.parse(row.config), secret: openSecret(row.secret) };
    return {
      trigger,
      starter: await starter(row).catch((e: unknown) => (e instanceof AppError ? e : Promise.reject(e))),
    };
  },
});

/** Drops a trigger from every process's cache of webhooks (it was changed or deleted). */
export const forgetWebhook = (id: string) => webhooks.invalidate(id);
