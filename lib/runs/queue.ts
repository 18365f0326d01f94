import "server-only";
import { sendJob } from "../platform/queues";

/**
 * "Execute (or resume) run X" on the `runs` queue (lib/platform/queues). Whichever worker
 * fetches it first takes the run's lease (lib/execution/lease); the queue keeps at most one
 * waiting job per run, so re-sending is harmless.
 */
export interface RunJob {
  runId: string;
}

/** Asks a worker to execute (or resume) a run; due now, it wakes the workers. */
export async function enqueueRun(runId: string, options: { afterSeconds?: number } = {}): Promise<void> {
  await sendJob<RunJob>(
    "runs",
    { runId },
    { singletonKey: runId, ...(options.afterSeconds ? { startAfter: options.afterSeconds } : {}) },
  );
}
