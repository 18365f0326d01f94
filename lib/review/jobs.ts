import "server-only";
import type PgBoss from "pg-boss";
import { logger } from "../log/logger";
import { queue } from "../runs/queue";

/**
 * The review flow's scheduled and retried work, as pg-boss jobs beside the run queue: a job
 * per review deadline (sent with `startAfter` = the deadline, so whichever worker is up when it
 * falls due runs its action), and a job per outgoing notification (webhook, email), retried
 * with backoff when the other side is down.
 */
export const DEADLINE_QUEUE = "flowdeck-review-deadlines";
export const DELIVERY_QUEUE = "flowdeck-notifications";

export interface DeadlineJob {
  reviewId: string;
}

export type DeliveryJob =
  | { channel: "webhook"; workspaceId: string; event: string; body: string }
  | { channel: "email"; to: string; subject: string; text: string };

const holder = globalThis as unknown as { __flowdeckReviewQueues?: Promise<PgBoss> };

async function reviewQueues(): Promise<PgBoss> {
  holder.__flowdeckReviewQueues ??= (async () => {
    const boss = await queue();
    await boss.createQueue(DEADLINE_QUEUE, { name: DEADLINE_QUEUE, retryLimit: 5, retryDelay: 5, expireInSeconds: 300 });
    await boss.createQueue(DELIVERY_QUEUE, { name: DELIVERY_QUEUE, retryLimit: 6, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 });
    return boss;
  })().catch((error) => {
    holder.__flowdeckReviewQueues = undefined;
    throw error;
  });
  return holder.__flowdeckReviewQueues;
}

/** Runs the review's expiry action at `dueAt` (a later call for the same moment is a no-op). */
export async function scheduleDeadline(reviewId: string, dueAt: Date): Promise<void> {
  const boss = await reviewQueues();
  await boss.send(DEADLINE_QUEUE, { reviewId } satisfies DeadlineJob, {
    startAfter: dueAt,
    singletonKey: `${reviewId}@${dueAt.getTime()}`,
    // Kept waiting until a day past the deadline (pg-boss's default is 14 days; deadlines may be longer).
    retentionSeconds: Math.max(0, Math.ceil((dueAt.getTime() - Date.now()) / 1000)) + 86_400,
  });
}

export async function sendDelivery(job: DeliveryJob): Promise<void> {
  const boss = await reviewQueues();
  await boss.send(DELIVERY_QUEUE, job);
}

/**
 * Works both queues in this process (called by every worker). A handler that throws has its
 * job retried by pg-boss; the handlers themselves are idempotent.
 */
export async function startReviewJobs(handlers: { deadline(job: DeadlineJob): Promise<void>; deliver(job: DeliveryJob): Promise<void> }): Promise<() => Promise<void>> {
  const boss = await reviewQueues();
  const log = logger();
  await boss.work<DeadlineJob>(DEADLINE_QUEUE, { pollingIntervalSeconds: 1, batchSize: 1 }, async (jobs) => {
    for (const job of jobs) await handlers.deadline(job.data);
  });
  await boss.work<DeliveryJob>(DELIVERY_QUEUE, { pollingIntervalSeconds: 1, batchSize: 1 }, async (jobs) => {
    for (const job of jobs) {
      try {
        await handlers.deliver(job.data);
      } catch (error) {
        log.warn({ err: error, channel: job.data.channel }, "a notification could not be delivered; it is retried");
        throw error;
      }
    }
  });
  return async () => {
    await boss.offWork(DEADLINE_QUEUE).catch(() => undefined);
    await boss.offWork(DELIVERY_QUEUE).catch(() => undefined);
  };
}
