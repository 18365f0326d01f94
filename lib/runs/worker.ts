import "server-only";
import type PgBoss from "pg-boss";
import { database } from "../db/client";
import { logger } from "../log/logger";
import { RunStop } from "../engine/ports";
import { abortActiveRuns, cancelActiveRun, executeRun } from "./execute-run";
import { leaseSeconds, orphanedRuns, workerId } from "./lease";
import { expireReview } from "../review/deadlines";
import { startReviewJobs } from "../review/jobs";
import { deliver } from "../review/notify";
import { enqueueRun, localWake, queue, RUN_QUEUE, WAKE_CHANNEL, type RunJob } from "./queue";

export const CANCEL_CHANNEL = "flowdeck_run_cancel";

export interface Worker {
  /** Lets go of running runs (another worker continues them) and stops fetching. */
  stop(): Promise<void>;
  active(): number;
}

/**
 * A worker: fetches run jobs while it has room (up to `concurrency` runs at once), executes
 * each, and completes the job. It wakes at once when a job is sent (in this process, or by
 * NOTIFY from another), polls every second as the safety net, and sweeps for runs whose worker
 * died (their lease ran out) to hand them to the queue again.
 */
export async function startWorker(options: { concurrency: number }): Promise<Worker> {
  const boss = await queue();
  const db = await database();
  const log = logger().child({ worker: workerId() });
  const running = new Set<Promise<void>>();
  let stopped = false;
  let wake: () => void = () => {};
  const wakeUp = () => wake();
  localWake().on("wake", wakeUp);
  const unlisten = db.kind === "postgres" ? await db.listen(WAKE_CHANNEL, wakeUp) : async () => {};
  const unlistenCancel = await db.listen(CANCEL_CHANNEL, (runId) => void cancelActiveRun(runId));
  // Review deadlines and outgoing notifications are worked by every worker too.
  const stopReviewJobs = await startReviewJobs({ deadline: expireReview, deliver });

  async function handle(job: PgBoss.Job<RunJob>): Promise<void> {
    try {
      const result = await executeRun(job.data.runId);
      // Held by a live worker (a resume sent while it still works): look again shortly.
      if (result === "busy") await enqueueRun(job.data.runId, { afterSeconds: 2 });
      // This worker is stopping: the run goes back to the queue for another worker.
      if (result && result !== "busy" && result.status === "interrupted" && stopped) await enqueueRun(job.data.runId);
      await boss.complete(RUN_QUEUE, job.id);
    } catch (error) {
      log.error({ err: error, runId: job.data.runId }, "run job failed");
      await boss.fail(RUN_QUEUE, job.id, { message: String(error) }).catch(() => undefined);
    }
  }

  const loop = (async () => {
    while (!stopped) {
      const room = options.concurrency - running.size;
      let fetched = 0;
      if (room > 0) {
        try {
          const jobs = await boss.fetch<RunJob>(RUN_QUEUE, { batchSize: room });
          fetched = jobs.length;
          for (const job of jobs) {
            const work = handle(job).finally(() => {
              running.delete(work);
              wakeUp(); // room again
            });
            running.add(work);
          }
        } catch (error) {
          if (!stopped) log.warn({ err: error }, "could not fetch jobs");
        }
      }
      if (fetched > 0 && fetched === room) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1_000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();

  const sweep = async () => {
    try {
      for (const runId of await orphanedRuns(db.prisma)) {
        log.warn({ runId }, "taking over a run whose worker stopped");
        await enqueueRun(runId);
      }
    } catch (error) {
      if (!stopped) log.warn({ err: error }, "sweep failed");
    }
  };
  void sweep();
  const sweeper = setInterval(sweep, Math.max(500, (leaseSeconds() * 1000) / 2));
  log.info({ concurrency: options.concurrency }, "worker started");

  return {
    active: () => running.size,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(sweeper);
      wakeUp();
      localWake().off("wake", wakeUp);
      await unlisten();
      await unlistenCancel();
      abortActiveRuns(new RunStop("This worker is shutting down; another one continues the run.", "interrupted"));
      await loop;
      await Promise.allSettled(running);
      await stopReviewJobs();
      log.info("worker stopped");
    },
  };
}
