import "server-only";
import { EventEmitter } from "node:events";
import PgBoss from "pg-boss";
import { database } from "../db/client";
import { logger } from "../log/logger";

/**
 * The run queue: pg-boss jobs in the same database (Postgres, or the embedded PGlite through
 * its one session). A job says "execute (or resume) run X"; whichever worker fetches it first
 * takes the run's lease (lease.ts). The queue's "short" policy keeps at most one waiting job
 * per run, so re-sending is harmless.
 *
 * pg-boss polls; a poll must not be the latency of every run, so sending also wakes the
 * workers at once: this process's through an event, other processes' through NOTIFY.
 */
export const RUN_QUEUE = "flowdeck-runs";
export const WAKE_CHANNEL = "flowdeck_jobs";

export interface RunJob {
  runId: string;
}

const holder = globalThis as unknown as { __flowdeckBoss?: Promise<PgBoss>; __flowdeckWake?: EventEmitter };
export const localWake = () => (holder.__flowdeckWake ??= new EventEmitter().setMaxListeners(0));

/** The process-wide pg-boss, started (and its schema created or migrated) on first use. */
export function queue(): Promise<PgBoss> {
  holder.__flowdeckBoss ??= (async () => {
    const db = await database();
    const boss = new PgBoss({
      ...(db.queueConnection as PgBoss.ConstructorOptions),
      application_name: "flowdeck-queue",
      max: 4,
      schedule: false,
      // Finished jobs are kept a day for inspection, then deleted.
      deleteAfterDays: 1,
    });
    boss.on("error", (error) => logger().error({ err: error }, "queue error"));
    await boss.start();
    await boss.createQueue(RUN_QUEUE, {
      name: RUN_QUEUE,
      policy: "short",
      retryLimit: 10,
      retryDelay: 2,
      // A worker that dies mid-run leaves its job "active"; the run's lease, not the job's
      // expiry, decides when another worker takes the run over, so the expiry can be long.
      expireInSeconds: 6 * 3600,
    });
    return boss;
  })().catch((error) => {
    holder.__flowdeckBoss = undefined;
    throw error;
  });
  return holder.__flowdeckBoss;
}

/** Asks a worker to execute (or resume) a run, and wakes the workers. */
export async function enqueueRun(runId: string, options: { afterSeconds?: number } = {}): Promise<void> {
  const boss = await queue();
  const sendOptions: PgBoss.SendOptions = { singletonKey: runId, ...(options.afterSeconds ? { startAfter: options.afterSeconds } : {}) };
  await boss.send(RUN_QUEUE, { runId } satisfies RunJob, sendOptions);
  if (options.afterSeconds) return;
  localWake().emit("wake");
  const db = await database();
  if (db.kind === "postgres") await db.notify(WAKE_CHANNEL, "").catch(() => undefined);
}

export async function stopQueue(): Promise<void> {
  const boss = await holder.__flowdeckBoss?.catch(() => undefined);
  holder.__flowdeckBoss = undefined;
  await boss?.stop({ graceful: false, close: true, wait: true }).catch(() => undefined);
}
