import { logger } from "../log/logger";
import { forgetSingleton, processSingleton } from "../process/singleton";

/**
 * One shutdown list per process. Each part registers what it must do when the process stops,
 * in the phase it belongs to; `shutdown()` runs the phases in order, the tasks of one phase
 * together, and a task that fails is logged without stopping the others:
 * - `work`: stop taking work and hand running runs back (the run worker, job workers);
 * - `flush`: write what is buffered (usage ledger, tool audit, traces);
 * - `connections`: close child processes and pools (MCP servers, the queue);
 * - `database`: close the database last.
 */
export type ShutdownPhase = "work" | "flush" | "connections" | "database";
const PHASES: ShutdownPhase[] = ["work", "flush", "connections", "database"];

type Task = { name: string; phase: ShutdownPhase; run: () => Promise<void> };
const tasks = () => processSingleton("shutdown-tasks", () => new Map<string, Task>());

/** Registers (or replaces, by name) what to do at shutdown. Returns the way to take it off. */
export function onShutdown(name: string, phase: ShutdownPhase, run: () => Promise<void>): () => void {
  tasks().set(name, { name, phase, run });
  return () => {
    if (tasks().get(name)?.run === run) tasks().delete(name);
  };
}

/** Runs every registered task, phase by phase. Calling it again while it runs waits for the same. */
export function shutdown(): Promise<void> {
  return processSingleton("shutdown-running", async () => {
    const log = logger();
    for (const phase of PHASES) {
      const due = [...tasks().values()].filter((t) => t.phase === phase);
      await Promise.all(
        due.map(async (t) => {
          try {
            await t.run();
          } catch (error) {
            log.error({ err: error, task: t.name }, "a shutdown task failed");
          }
        }),
      );
    }
    forgetSingleton("shutdown-running");
  });
}
