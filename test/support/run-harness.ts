import { afterAll, beforeAll } from "vitest";
import { pointAtScratchDatabase, seedWorkspace } from "./process-database";
import type { Viewer } from "../../lib/auth/session";

export interface RunHarness {
  /** The workspace's admin, once `beforeAll` has run. */
  admin: Viewer;
  mod: {
    db: typeof import("../../lib/db/client");
    workflows: typeof import("../../lib/workflows/workflows");
    start: typeof import("../../lib/runs/start-run");
    execute: typeof import("../../lib/execution/execute-run");
    queue: typeof import("../../lib/platform/queues");
  };
}

/**
 * A scratch database with one workspace and its admin, and the modules that create, start and
 * execute runs in this process, for integration tests that run workflows through the real
 * engine, store and lease (`env`: settings of the process, such as FLOWDECK_RUN_LEASE_SECONDS).
 * Filled in `beforeAll`; the queue and database go in `afterAll`.
 */
export function runHarness(name: string, env: Record<string, string> = {}): RunHarness {
  const harness = {} as RunHarness;
  let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>> | undefined;
  beforeAll(async () => {
    scratch = await pointAtScratchDatabase(name, env);
    harness.mod = {
      db: await import("../../lib/db/client"),
      workflows: await import("../../lib/workflows/workflows"),
      start: await import("../../lib/runs/start-run"),
      execute: await import("../../lib/execution/execute-run"),
      queue: await import("../../lib/platform/queues"),
    };
    [harness.admin] = await seedWorkspace(await harness.mod.db.db(), name, [
      { email: "ada@example.com", role: "ADMIN" },
    ]);
  });
  afterAll(async () => {
    await harness.mod?.queue.stopQueue();
    await scratch?.done();
  });
  return harness;
}
