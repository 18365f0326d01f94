import "server-only";
import { createHash } from "node:crypto";
import { db } from "../db/client";
import { isUniqueViolation } from "../db/unique-violation";
import { AppError } from "../errors/app-error";
import { logger } from "../log/logger";
import { queue, QUEUES, sendJob } from "../platform/queues";
import { startRun } from "../runs/start-run";
import { nextTicks, storedScheduleConfigSchema, type ScheduleConfig } from "../schemas/triggers";
import { pruneDeliveries } from "./deliveries";
import { starter } from "./starter";

/**
 * Schedules: a run of the published version at each tick of a cron expression in a time zone.
 * No timer of our own: each enabled schedule has one pg-boss job waiting for its next tick
 * (`startAfter`, a singleton key per trigger and config version), and the worker that runs a
 * tick sends the next. Exactly one run per tick, however many workers: a tick claims a
 * delivery row keyed by the tick (`TriggerDelivery`'s unique key) before it starts anything, so
 * a tick sent or fetched twice runs once. Ticks missed while no worker was up are skipped, or
 * run once for all of them (`missed`), and the next tick is counted from now.
 */
export interface TickJob {
  triggerId: string;
  /** The config the tick was computed from (a hash of it: a rename does not change it). */
  version: string;
  /** The tick, ISO. */
  tick: string;
}

/** How late a tick may start and still count as on time (a poll, a busy worker). */
export const LATE_AFTER_MS = 60_000;

interface ScheduleRow {
  id: string;
  kind: string;
  enabled: boolean;
  config: unknown;
  updatedAt: Date;
}

/** The version of a schedule's config: what its ticks are computed from. */
export const configVersion = (config: ScheduleConfig) =>
  createHash("sha256")
    .update(JSON.stringify([config.cron, config.timezone, config.input, config.missed]))
    .digest("base64url")
    .slice(0, 16);

/** Sends the job for the schedule's next tick after `after` (a no-op when one is already waiting). */
export async function sendNextTick(row: ScheduleRow, after = new Date()): Promise<Date | null> {
  if (row.kind !== "schedule" || !row.enabled) return null;
  const config = storedScheduleConfigSchema.parse(row.config);
  const [tick] = nextTicks(config.cron, config.timezone, 1, after);
  if (!tick) return null;
  const version = configVersion(config);
  await sendJob<TickJob>(
    "scheduleTicks",
    { triggerId: row.id, version, tick: tick.toISOString() },
    {
      startAfter: tick,
      singletonKey: `${row.id}@${version}`,
      // Kept a week past its tick (pg-boss counts from startAfter): workers down that long still find it.
      retentionSeconds: 7 * 86_400,
    },
  );
  return tick;
}

/** What a tick does, given how late it is: run, or skip (missed while nobody was up). */
export function tickDecision(config: ScheduleConfig, tick: Date, now: Date): "run" | "skip" {
  const late = now.getTime() - tick.getTime() > LATE_AFTER_MS;
  return late && config.missed === "skip" ? "skip" : "run";
}

/** Runs one tick: at most once, whoever else got it too; then sends the next. */
export async function runTick(job: TickJob, now = new Date()): Promise<void> {
  const prisma = await db();
  const row = await prisma.trigger.findUnique({
    where: { id: job.triggerId },
    include: { workflow: { select: { deletedAt: true } } },
  });
  // Deleted, turned off, its workflow in the bin, or changed since this tick was computed (the
  // current config has its own job; a workflow restored from the bin is picked up by the sweep).
  if (!row || row.kind !== "schedule" || !row.enabled || row.workflow.deletedAt) return;
  const config = storedScheduleConfigSchema.parse(row.config);
  if (configVersion(config) !== job.version) return;
  const tick = new Date(job.tick);
  let deliveryId: string | null = null;
  try {
    ({ id: deliveryId } = await prisma.triggerDelivery.create({
      data: {
        triggerId: row.id,
        idempotencyKey: `tick:${job.tick}`,
        status: 0,
        payload: JSON.stringify(config.input).slice(0, 4_000),
      },
      select: { id: true },
    }));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  if (deliveryId) {
    const started = performance.now();
    const record = (status: number, runId: string | null, error: string | null) =>
      prisma.triggerDelivery.update({
        where: { id: deliveryId! },
        data: { status, runId, error, ms: Math.round(performance.now() - started) },
      });
    if (tickDecision(config, tick, now) === "skip") {
      await record(204, null, `Skipped: the tick of ${job.tick} came late (no worker was up, or free, in time).`);
    } else {
      let runId: string;
      try {
        ({ id: runId } = await startRun(
          await starter(row),
          row.workflowId,
          { input: config.input, mode: "published" },
          { trigger: "schedule", triggerId: row.id },
        ));
      } catch (error) {
        // A schedule that cannot start (not published, input that no longer fits) says so in its deliveries.
        if (error instanceof AppError) await record(error.status, null, error.message);
        // A fault (the database away): no run started, so the tick is let go and the job's retry claims it again.
        else await prisma.triggerDelivery.delete({ where: { id: deliveryId } }).catch(() => undefined);
        if (!(error instanceof AppError)) throw error;
        runId = "";
      }
      if (runId) await record(202, runId, null);
      if (Math.random() < 0.05) void pruneDeliveries(row.id).catch(() => undefined);
    }
  }
  // The next tick counts from now: ticks missed meanwhile are not sent one by one.
  await sendNextTick(row, new Date(Math.max(now.getTime(), tick.getTime())));
}

/** Sends the next tick of every enabled schedule (start-up: a job lost or never sent is sent again). */
export async function sendAllNextTicks(): Promise<void> {
  const prisma = await db();
  const rows = await prisma.trigger.findMany({
    where: { kind: "schedule", enabled: true, workflow: { deletedAt: null } },
  });
  for (const row of rows)
    await sendNextTick(row).catch((error: unknown) =>
      logger().warn({ err: error, triggerId: row.id }, "could not send a schedule's next tick"),
    );
}

/** How often every worker makes sure each schedule has its next tick waiting (a chain that broke is mended). */
const SWEEP_MS = 60_000;

/**
 * Works the ticks in this process (every worker); a tick that throws is retried by pg-boss. Once
 * a minute, each enabled schedule's next tick is sent again (a no-op for one already waiting): a
 * send that failed after a change, or a job lost, is mended within the minute.
 */
export async function startScheduleJobs(): Promise<() => Promise<void>> {
  const boss = await queue();
  await sendAllNextTicks();
  await boss.work<TickJob>(QUEUES.scheduleTicks.name, { pollingIntervalSeconds: 1, batchSize: 1 }, async (jobs) => {
    for (const job of jobs) await runTick(job.data);
  });
  const sweep = setInterval(() => void sendAllNextTicks().catch(() => undefined), SWEEP_MS);
  sweep.unref();
  return async () => {
    clearInterval(sweep);
    await boss.offWork(QUEUES.scheduleTicks.name).catch(() => undefined);
  };
}
