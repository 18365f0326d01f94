import "server-only";
import { db } from "../db/client";
import { logger } from "../log/logger";
import { drive } from "./run-evaluation";

/** How long a driver may be silent before another process takes its evaluation over. */
export const DRIVER_SILENCE_SECONDS = 30;

/**
 * Takes over evaluations whose driver went silent (its process stopped): each is claimed by one
 * process in one statement, then driven from where it was (cases under way are awaited, the
 * rest started). Answers how many it took. The host calls it every few seconds.
 */
export async function resumeStaleEvaluations(): Promise<number> {
  const claimed = await (
    await db()
  ).$queryRaw<{ id: string }[]>`
    UPDATE "Evaluation" SET "driverSeenAt" = now()
    WHERE "status" = 'RUNNING'
      AND ("driverSeenAt" IS NULL OR "driverSeenAt" < now() - make_interval(secs => ${DRIVER_SILENCE_SECONDS}))
    RETURNING "id"`;
  for (const { id } of claimed) drive(id);
  return claimed.length;
}

/** The host's sweep for evaluations left by a stopped process; answers its stop. */
export async function startEvaluationSweeper(): Promise<() => Promise<void>> {
  const timer = setInterval(
    () =>
      void resumeStaleEvaluations().catch((error: unknown) =>
        logger().warn({ err: error }, "could not look for evaluations to take over"),
      ),
    10_000,
  );
  timer.unref();
  return async () => clearInterval(timer);
}
