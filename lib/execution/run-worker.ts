import "server-only";
import type PgBoss from "pg-boss";
import { env } from "../config/env";
import { database } from "../db/client";
import { RunStop } from "../engine/ports";
import { logger } from "../log/logger";
import { subscribe } from "../platform/channels";
import { onJobSent, queue, QUEUES } from "../platform/queues";
import { localRunner as currentLocalRunner, setLocalRunner, type LocalRunner } from "../runs/local-runner";
import { enqueueRun, type RunJob } from "../runs/queue";
import { abortActiveRuns, cancelActiveRun, executeRun } from "./execute-run";
import { leaseSeconds, orphanedRuns, releaseLease, workerId } from "./lease";

export interface RunWorker {
  /**
   * Stops fetching at once, lets the runs it holds finish for up to the grace period
   * (FLOWDECK_SHUTDOWN_GRACE_SECONDS), then lets go of the rest (another worker continues them).
   */
  stop(): Promise<void>;
  active(): number;
}

/**
 * The run worker of this process: fetches run jobs while it has room (up to `concurrency`
 * runs at once), executes each, and completes the job. It wakes at once when a job is sent
 * (in this process, or by NOTIFY from another), polls every second as the safety net, stops a
 * run here when anyone asks to cancel it (the `runCancel` channel), and sweeps for runs whose
 * worker died (their lease ran out) to hand them to the queue again. The process host
 * (lib/host) starts it.
 */
export async function startRunWorker(options: { concurrency: number }): Promise<RunWorker> {
  const boss = await queue();
  const db = await database();
  const log = logger().child({ worker: workerId() });
  const running = new Set<Promise<void>>();
  /** Room promised to runs being created in this process (lib/runs/local-runner). */
  let reserved = 0;
  let stopped = false;
  let wake: () => void = () => {};
  const wakeUp = () => wake();
  const offJobs = await onJobSent(wakeUp);
  const offCancel = await subscribe("runCancel", (runId) => void cancelActiveRun(runId));

  async function handle(job: PgBoss.Job<RunJob>): Promise<void> {
    try {
      const result = await executeRun(job.data.runId, undefined, () => stopped);
      // Held by a live worker (a resume sent while it still works): look again shortly.
      if (result === "busy") await enqueueRun(job.data.runId, { afterSeconds: 2 });
      // This worker is stopping: the run goes back to the queue for another worker.
      if (result && result !== "busy" && result.status === "interrupted" && stopped) await enqueueRun(job.data.runId);
      await boss.complete(QUEUES.runs.name, job.id);
    } catch (error) {
      log.error({ err: error, runId: job.data.runId }, "run job failed");
      await boss.fail(QUEUES.runs.name, job.id, { message: String(error) }).catch(() => undefined);
    }
  }

  async function handBack(job: PgBoss.Job<RunJob>): Promise<void> {
    try {
      await boss.complete(QUEUES.runs.name, job.id);
      await enqueueRun(job.data.runId);
    } catch (error) {
      // The job stays active; the run's sweep hands it to another worker.
      log.warn({ err: error, runId: job.data.runId }, "could not hand a job back");
    }
  }

  /** Executes a run and tracks it until it lets go; a run handed back while stopping goes to the queue. */
  const track = (execute: () => Promise<void>) => {
    const work = execute().finally(() => {
      running.delete(work);
      wakeUp(); // room again
    });
    running.add(work);
  };

  // Runs started in this process, while there is room, are created leased to this worker and start at once.
  const localRunner: LocalRunner = {
    reserve() {
      if (stopped || running.size + reserved >= options.concurrency) return null;
      reserved += 1;
      let open = true;
      const release = () => {
        if (open) reserved -= 1;
        open = false;
      };
      return {
        owner: workerId(),
        leaseSeconds: leaseSeconds(),
        release,
        run(claimed) {
          release();
          if (stopped) {
            // Created while this worker began stopping: another worker takes it.
            void releaseLease(db.prisma, claimed.id)
              .then(() => enqueueRun(claimed.id))
              .catch((error) => log.warn({ err: error, runId: claimed.id }, "could not hand a new run back"));
            return;
          }
          track(async () => {
            try {
              const result = await executeRun(claimed.id, claimed, () => stopped);
              if (result && result !== "busy" && result.status === "interrupted" && stopped)
                await enqueueRun(claimed.id);
            } catch (error) {
              // The lease runs out and the sweep hands the run to the queue.
              log.error({ err: error, runId: claimed.id }, "run failed to execute");
            }
          });
        },
      };
    },
  };
  setLocalRunner(localRunner);

  const loop = (async () => {
    while (!stopped) {
      const room = options.concurrency - running.size - reserved;
      let fetched = 0;
      if (room > 0) {
        try {
          const jobs = await boss.fetch<RunJob>(QUEUES.runs.name, { batchSize: room });
          fetched = jobs.length;
          if (stopped) {
            // Fetched while the worker was told to stop: start none, hand each back at once.
            await Promise.all(jobs.map((job) => handBack(job)));
            break;
          }
          for (const job of jobs) track(() => handle(job));
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
  // Every second at most: a dead worker's run is taken over about a second after its lease ran out.
  const sweeper = setInterval(sweep, Math.max(500, Math.min(1000, (leaseSeconds() * 1000) / 2)));
  log.info({ concurrency: options.concurrency }, "worker started");

  return {
    active: () => running.size,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (currentLocalRunner() === localRunner) setLocalRunner(null);
      clearInterval(sweeper);
      wakeUp();
      offJobs();
      await loop;
      const graceMs = env().FLOWDECK_SHUTDOWN_GRACE_SECONDS * 1000;
      if (running.size && graceMs > 0) {
        log.info({ runs: running.size, graceSeconds: graceMs / 1000 }, "finishing the runs held before stopping");
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled(running),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
        ]);
        clearTimeout(timer);
      }
      if (running.size)
        log.info({ runs: running.size }, "grace period over: handing the runs still held to another worker");
      abortActiveRuns(new RunStop("This worker is shutting down; another one continues the run.", "interrupted"));
      await Promise.allSettled(running);
      offCancel();
      log.info("worker stopped");
    },
  };
}
