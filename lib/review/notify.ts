import "server-only";
import { parseReviewRequest } from "../schemas/review";
import { processSingleton } from "../process/singleton";
import nodemailer from "nodemailer";
import { workspaceRules } from "../egress/destinations";
import { guardedFetch } from "../egress/guard";
import type { HostRule } from "../egress/policy";
import { env } from "../config/env";
import { derivedKey } from "../config/secrets";
import { open } from "../crypto/secret-box";
import { db } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import { logger } from "../log/logger";
import { sendDelivery, type DeliveryJob } from "./jobs";
import { SIGNATURE_HEADER, signWebhook } from "./webhook-signature";
import { reviewsChanged } from "./live";

/**
 * Review notifications. Each event of a review (filed, assigned, escalated, decided) reaches:
 * - in app: the people it concerns (a named reviewer, the new assignee, the role it was
 *   escalated to, the person whose run was decided), in their notification list;
 * - the workspace's webhook, when one is set: a signed JSON POST with a link to the review;
 * - email through SMTP_URL, when the server has one and the workspace turned email on: the same
 *   people, and for a new review for a role, that role's members.
 * Webhook and email go through the delivery queue, so a receiver that is down gets it later.
 */
export type ReviewEvent = "review.created" | "review.assigned" | "review.escalated" | "review.decided";

export const settingsKey = () => derivedKey("notification-settings");

export function publicUrl(path: string): string {
  const base = env().NEXTAUTH_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
  return new URL(path, base).toString();
}

const headline: Record<ReviewEvent, (step: string, workflow: string, extra: string) => string> = {
  "review.created": (s, w) => `Review waiting: ${s} · ${w}`,
  "review.assigned": (s, w, by) => `${by} assigned you a review: ${s} · ${w}`,
  "review.escalated": (s, w) => `Review escalated to you (deadline passed): ${s} · ${w}`,
  "review.decided": (s, w, outcome) => `Your run's review was ${outcome}: ${s} · ${w}`,
};

/** Tells everyone concerned about a review event. Never throws: a notification is not worth failing a decision for. */
export async function announceReview(
  event: ReviewEvent,
  reviewId: string,
  details: { actorId?: string | null; actorName?: string; outcome?: string } = {},
): Promise<void> {
  try {
    await announce(await db(), event, reviewId, details);
  } catch (error) {
    logger().warn({ err: error, reviewId, event }, "could not send review notifications");
  }
}

async function announce(
  prisma: PrismaClient,
  event: ReviewEvent,
  reviewId: string,
  details: { actorId?: string | null; actorName?: string; outcome?: string },
) {
  const review = await prisma.review.findUnique({ where: { id: reviewId } });
  if (!review) return;
  const payload = parseReviewRequest(review.id, review.payload);
  const step = payload.stepLabel ?? review.nodeId;
  const workflow = review.workflowId
    ? ((await prisma.workflow.findUnique({ where: { id: review.workflowId }, select: { name: true } }))?.name ??
      "a workflow")
    : "a workflow";
  const link = publicUrl(`/inbox/${review.id}`);
  const activeMembers = (where: {
    role?: "ADMIN" | "BUILDER" | "REVIEWER";
    userId?: string;
    user?: { email: string };
  }) =>
    prisma.membership.findMany({
      where: { workspaceId: review.workspaceId, status: "ACTIVE", ...where },
      select: { userId: true, user: { select: { email: true } } },
    });
  const asRole = (r: string) =>
    ["ADMIN", "BUILDER", "REVIEWER"].includes(r) ? (r as "ADMIN" | "BUILDER" | "REVIEWER") : "REVIEWER";

  let inApp: { userId: string; user: { email: string } }[] = [];
  let emailAlso: { userId: string; user: { email: string } }[] = [];
  if (event === "review.created") {
    if (review.reviewerEmail) inApp = await activeMembers({ user: { email: review.reviewerEmail } });
    else emailAlso = await activeMembers({ role: asRole(review.reviewerRole) });
  } else if (event === "review.assigned" && review.assigneeId) {
    inApp = await activeMembers({ userId: review.assigneeId });
  } else if (event === "review.escalated") {
    inApp = await activeMembers({ role: asRole(review.reviewerRole) });
  } else if (event === "review.decided" && review.requesterId) {
    inApp = await activeMembers({ userId: review.requesterId });
  }
  inApp = inApp.filter((m) => m.userId !== details.actorId);
  const title = headline[event](
    step,
    workflow,
    event === "review.decided" ? (details.outcome ?? "decided") : (details.actorName ?? "Someone"),
  );
  const body =
    event === "review.decided"
      ? `Decided by ${details.actorName ?? "Flowdeck"}.`
      : plain(payload.instructions ?? "").slice(0, 300);
  if (inApp.length) {
    await prisma.notification.createMany({
      data: inApp.map((m) => ({
        workspaceId: review.workspaceId,
        userId: m.userId,
        kind: event,
        title,
        body,
        link: event === "review.decided" ? `/runs/${review.runId}` : `/inbox/${review.id}`,
      })),
    });
    reviewsChanged(review.workspaceId); // open navigations re-count their unread notifications
  }

  const settings = await prisma.notificationSettings.findUnique({ where: { workspaceId: review.workspaceId } });
  if (settings?.webhookUrl) {
    const message = {
      event,
      at: new Date().toISOString(),
      workspaceId: review.workspaceId,
      review: {
        id: review.id,
        url: link,
        runId: review.runId,
        workflow,
        step,
        status: review.status.toLowerCase(),
        reviewerRole: review.reviewerRole,
        assigneeId: review.assigneeId,
        dueAt: review.dueAt?.toISOString() ?? null,
        ...(details.outcome && { outcome: details.outcome }),
      },
      ...(details.actorName && { actor: details.actorName }),
    };
    await sendDelivery({ channel: "webhook", workspaceId: review.workspaceId, event, body: JSON.stringify(message) });
  }
  if (settings?.email && env().SMTP_URL) {
    const to = [
      ...new Set([...inApp, ...emailAlso].filter((m) => m.userId !== details.actorId).map((m) => m.user.email)),
    ];
    for (const address of to) {
      await sendDelivery({
        channel: "email",
        to: address,
        subject: title,
        text: `${title}\n\n${body}\n\nOpen it: ${event === "review.decided" ? publicUrl(`/runs/${review.runId}`) : link}\n`,
      });
    }
  }
}

/**
 * POSTs one event to a workspace's webhook (its URL and secret as stored, sealed), signed when
 * it has a secret: the signature covers the time of sending and the body (webhook-signature.ts).
 * A webhook on a private, loopback or link-local address is refused (EgressRefused) unless one
 * of the workspace's HTTP destinations (`rules`) names its host and allows private addresses; a
 * redirect is not followed (a 3xx is the answer).
 */
export async function postWebhook(
  stored: { webhookUrl: string; webhookSecret: string | null },
  event: string,
  body: string,
  rules: HostRule[],
): Promise<{ ok: boolean; status: number; statusText: string }> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Flowdeck",
    "x-flowdeck-event": event,
  };
  if (stored.webhookSecret) headers[SIGNATURE_HEADER] = signWebhook(open(stored.webhookSecret, settingsKey()), body);
  const url = new URL(open(stored.webhookUrl, settingsKey()));
  const res = await guardedFetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(10_000) }, rules);
  await res.body?.cancel().catch(() => undefined);
  return { ok: res.ok, status: res.status, statusText: res.statusText };
}

/** Delivers one webhook or email (throws when it did not arrive, so the queue retries it). */
export async function deliver(job: DeliveryJob): Promise<void> {
  if (job.channel === "webhook") {
    const settings = await (await db()).notificationSettings.findUnique({ where: { workspaceId: job.workspaceId } });
    if (!settings?.webhookUrl) return; // turned off since
    const res = await postWebhook(
      { webhookUrl: settings.webhookUrl, webhookSecret: settings.webhookSecret },
      job.event,
      job.body,
      await workspaceRules(job.workspaceId),
    );
    if (!res.ok) throw new Error(`The webhook answered ${res.status}.`);
    return;
  }
  const smtp = env().SMTP_URL;
  if (!smtp) return;
  await mailer(smtp).sendMail({ from: env().SMTP_FROM, to: job.to, subject: job.subject, text: job.text });
}

/** One SMTP transport per URL (the URL comes from the environment, so there is one). */
function mailer(url: string): nodemailer.Transporter {
  return processSingleton(`mailer:${url}`, () => nodemailer.createTransport(url));
}

/** Markdown as one line of plain text, for titles and summaries. */
function plain(markdown: string): string {
  return markdown
    .replace(/[*_`#>]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}
