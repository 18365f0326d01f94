import { afterAll, beforeAll } from "vitest";

/**
 * Runs this process's run worker for a test file: started before its tests, stopped after them
 * (and, with `stopQueue`, the job queue too, for a file whose world does not stop it itself).
 * Call it once at the top of the file, after the world that points at the database.
 */
export function withRunWorker(concurrency: number, options: { stopQueue?: boolean } = {}): void {
  let worker: { stop(): Promise<void> } | undefined;
  beforeAll(async () => {
    const { startRunWorker } = await import("../../lib/execution/run-worker");
    worker = await startRunWorker({ concurrency });
  });
  afterAll(async () => {
    await worker?.stop();
    if (!options.stopQueue) return;
    const { stopQueue } = await import("../../lib/platform/queues");
    await stopQueue();
  });
}
