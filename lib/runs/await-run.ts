import "server-only";
import { db } from "../db/client";
import { subscribeRunEvents } from "./live-events";
import { isEnded, runOutputOf, type RunStatus } from "../schemas/run";

export interface AwaitedRun {
  status: RunStatus;
  output: unknown;
  error: string | null;
}

/**
 * Waits until a run ends or pauses for a person, or `waitMs` passes, or `signal` aborts, then
 * answers its state then: followed by its live events, with a poll every second as the safety
 * net (a notification lost with a dropped connection only delays the answer).
 */
export async function awaitRun(runId: string, waitMs: number, signal?: AbortSignal): Promise<AwaitedRun> {
  const prisma = await db();
  const read = async () =>
    prisma.run.findUniqueOrThrow({ where: { id: runId }, select: { status: true, output: true, error: true } });
  let wake = () => {};
  const unsubscribe = await subscribeRunEvents(
    runId,
    (e) => e.type.startsWith("run.") && e.type !== "run.started" && wake(),
  );
  const onAbort = () => wake();
  signal?.addEventListener("abort", onAbort);
  try {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const run = await read();
      if (isEnded(run.status) || run.status === "WAITING" || Date.now() >= deadline || signal?.aborted) {
        return { status: run.status, output: runOutputOf(run.output), error: run.error };
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(1_000, Math.max(1, deadline - Date.now())));
        wake = () => (clearTimeout(timer), resolve());
      });
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    unsubscribe();
  }
}
