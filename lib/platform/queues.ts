import { EventEmitter } from "node:events";
import PgBoss from "pg-boss";
import { database } from "../db/client";
import { logger } from "../log/logger";
import { publishSoon, subscribe } from "./channels";
import { onShutdown } from "./shutdown";
import { existingSingleton, forgetSingleton, processSingleton } from "../process/singleton";

/**
 * Every queue of Flowdeck: pg-boss jobs in the same database (PostgreSQL, or the embedded
 * PGlite through its one session), created together when the process first needs one.
 *
 * pg-boss polls; a poll must not be the latency of every run, so sending a job that is due now
 * also wakes idle workers at once: this process's by an event, other processes' by NOTIFY on
 * the `jobs` channel. Polling stays as the safety net.
 */
export const QUEUES = {
  /** "Execute (or resume) run X". At most one waiting job per run ("short"), so re-sending is harmless. */
  runs: {
    name: "flowdeck-runs",
    policy: "short",
    retryLimit: 10,
    retryDelay: 2,
    // A worker that dies mid-run leaves its job "active"; the run's lease, not the job's
    // expiry, decides when another worker takes the run over, so the expiry can be long.
    expireInSeconds: 6 * 3600,
  },
  /** A review's deadline: sent with `startAfter` = the deadline; whichever worker is up runs its action. */
  reviewDeadlines: { name: "flowdeck-review-deadlines", retryLimit: 5, retryDelay: 5, expireInSeconds: 300 },
  /** An outgoing notification (webhook, email), retried with backoff while the other side is down. */
  notifications: {
    name: "flowdeck-notifications",
    retryLimit: 6,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 120,
  },
  /**
   * A schedule's next tick: sent with `startAfter` = the tick, at most one waiting per trigger
   * and version of its config ("short", by singleton key); whichever worker is up runs it.
   */
  scheduleTicks: {
    name: "flowdeck-schedule-ticks",
    policy: "short",
    retryLimit: 8,
    retryDelay: 2,
    retryBackoff: true,
    expireInSeconds: 300,
  },
} as const satisfies Record<string, PgBoss.Queue>;
export type QueueName = keyof typeof QUEUES;

const BOSS = "queue";
const localWake = () => processSingleton("queue-wake", () => new EventEmitter().setMaxListeners(0));

/** The process-wide pg-boss, started (its schema created or migrated, every queue created) on first use. */
export function queue(): Promise<PgBoss> {
  return processSingleton(BOSS, async () => {
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
    for (const q of Object.values(QUEUES)) await createQueue(boss, q);
    onShutdown("queue", "connections", stopQueue);
    return boss;
  });
}

/**
 * Creates a queue if it is not there. Processes that start together (two workers after an
 * upgrade that adds a queue) may both create it, and pg-boss's creation can then deadlock or
 * collide in one of them: that one tries again, and finds it made.
 */
async function createQueue(boss: PgBoss, q: PgBoss.Queue): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.createQueue(q.name, { ...q });
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 5 || (code !== "40P01" && code !== "23505")) throw error;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 200 * attempt));
    }
  }
}

/**
 * Sends a job. One due now wakes the workers (here and, by NOTIFY, elsewhere); one with
 * `startAfter` waits for a poll after that time.
 */
export async function sendJob<T extends object>(
  name: QueueName,
  data: T,
  options: PgBoss.SendOptions = {},
): Promise<void> {
  const boss = await queue();
  await boss.send(QUEUES[name].name, data, options);
  if (options.startAfter) return;
  localWake().emit("wake");
  publishSoon("jobs");
}

/** Calls `wake` whenever a job was sent (in any process): fetch now rather than at the next poll. */
export async function onJobSent(wake: () => void): Promise<() => void> {
  localWake().on("wake", wake);
  const db = await database();
  // On the embedded database every job is sent by this process: the local event is enough.
  const unsubscribe = db.kind === "postgres" ? await subscribe("jobs", wake) : () => {};
  return () => {
    localWake().off("wake", wake);
    unsubscribe();
  };
}

/** Stops this process's pg-boss (its pool closes); the next use starts it again. */
export async function stopQueue(): Promise<void> {
  const boss = await existingSingleton<Promise<PgBoss>>(BOSS)?.catch(() => undefined);
  forgetSingleton(BOSS);
  await boss?.stop({ graceful: false, close: true, wait: true }).catch(() => undefined);
}
