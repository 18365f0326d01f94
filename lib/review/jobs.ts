import "server-only";
import { logger } from "../log/logger";
import { queue, QUEUES, sendJob } from "../platform/queues";

/**
 * The review flow's scheduled and retried work, on the queues of lib/platform: a job
 * per review deadline (sent with `startAfter` = the deadline, so whichever worker is up when it
 * falls due runs its action), and a job per outgoing notification (webhook, email), retried
 * with backoff when the other side is down.
 */
export interface DeadlineJob {
  reviewId: string;
}

export type DeliveryJob =
  | { channel: "webhook"; workspaceId: string; event: string; body: string }
  | { channel: "email"; to: string; subject: string; text: string };

/** Runs the review's expiry action at `dueAt` (a later call for the same moment is a no-op). */
export async function scheduleDeadline(reviewId: string, dueAt: Date): Promise<void> {
  await sendJob<DeadlineJob>(
    "reviewDeadlines",
    { reviewId },
    {
      startAfter: dueAt,
      singletonKey: `${reviewId}@${dueAt.getTime()}`,
      // Kept waiting until a day past the deadline (pg-boss's default is 14 days; deadlines may be longer).
      retentionSeconds: Math.max(0, Math.ceil((dueAt.getTime() - Date.now()) / 1000)) + 86_400,
    },
  );
}

export async function sendDelivery(job: DeliveryJob): Promise<void> {
  await sendJob<DeliveryJob>("notifications", job);
}

/**
 * Works both queues in this process (called by every worker). A handler that throws has its
 * job retried by pg-boss; the handlers themselves are idempotent.
 */
export async function startReviewJobs(handlers: {
  deadline(job: DeadlineJob): Promise<void>;
  deliver(job: DeliveryJob): Promise<void>;
}): Promise<() => Promise<void>> {
  const boss = await queue();
  const log = logger();
  await boss.work<DeadlineJob>(
    QUEUES.reviewDeadlines.name,
    { pollingIntervalSeconds: 1, batchSize: 1 },
    async (jobs) => {
      for (const job of jobs) await handlers.deadline(job.data);
    },
  );
  await boss.work<DeliveryJob>(QUEUES.notifications.name, { pollingIntervalSeconds: 1, batchSize: 1 }, async (jobs) => {
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
    await boss.offWork(QUEUES.reviewDeadlines.name).catch(() => undefined);
    await boss.offWork(QUEUES.notifications.name).catch(() => undefined);
  };
}
