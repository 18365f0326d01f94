import "server-only";
import { env } from "../config/env";
import { startRunWorker } from "../execution/run-worker";
import { startReviewJobs } from "../review/jobs";
import { startScheduleJobs } from "../triggers/schedules";
import { startEvaluationSweeper } from "../evaluations/takeover";
import { startBudgetAlerts } from "../review/budget-alerts";
import { startMemoryReducer } from "./memory-reducer";
import { expireReview } from "../review/deadlines";
import { deliver } from "../review/notify";
import { logger } from "../log/logger";
import { onShutdown, shutdown } from "../platform/shutdown";
import { processSingleton } from "../process/singleton";

/**
 * The process host: what runs in the background of a process that does work (the studio with
 * its in-process worker, or `npm run worker`). Each background service registers here, and its
 * stop goes on the shutdown list (lib/platform/shutdown) in the `work` phase, so a stopping
 * process first lets go of its runs, then flushes what is buffered, then closes connections.
 */
interface BackgroundService {
  name: string;
  start(): Promise<() => Promise<void>>;
}

function services(concurrency: number): BackgroundService[] {
  let worker: Awaited<ReturnType<typeof startRunWorker>> | undefined;
  return [
    // Runs: fetched from the queue, executed under a lease, handed back on shutdown.
    { name: "run-worker", start: async () => (worker = await startRunWorker({ concurrency })).stop },
    // Review deadlines (escalate, approve or reject when due) and notification delivery.
    { name: "review-jobs", start: () => startReviewJobs({ deadline: expireReview, deliver }) },
    // Schedules: each one's next tick waits as a job; the worker that runs it sends the next.
    { name: "schedules", start: startScheduleJobs },
    // Evaluations whose process stopped: taken over and driven on.
    { name: "evaluations", start: startEvaluationSweeper },
    // Budgets passing 50, 80 and 100%: their people are told once per period.
    { name: "budget-alerts", start: () => startBudgetAlerts() },
    // After a burst of work, once quiet: one full garbage collection gives the memory back.
    { name: "memory-reducer", start: async () => startMemoryReducer({ busy: () => (worker?.active() ?? 0) > 0 }) },
  ];
}

/**
 * A promise nobody handled must not end a process that holds other people's runs: it is logged
 * with what it carried, and the process goes on (the run or request it belonged to has its own
 * error path). Tests look for this line and fail on it.
 */
export const UNHANDLED_REJECTION = "unhandled promise rejection";
export function logUnhandledRejections(): void {
  processSingleton("unhandled-rejection-handler", () =>
    process.on("unhandledRejection", (reason) => logger().error({ err: reason }, UNHANDLED_REJECTION)),
  );
}

/** Starts every background service of this process. */
export async function startHost(options: { concurrency?: number } = {}): Promise<void> {
  logUnhandledRejections();
  const concurrency = options.concurrency ?? env().FLOWDECK_WORKER_CONCURRENCY;
  for (const service of services(concurrency)) {
    const stop = await service.start();
    onShutdown(service.name, "work", stop);
  }
}

/** Stops the process's work and closes what it holds, in order (see lib/platform/shutdown). */
export const stopHost = shutdown;
