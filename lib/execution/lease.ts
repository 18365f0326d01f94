import "server-only";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../db/generated/client";
import { env } from "../config/env";
import { processSingleton } from "../process/singleton";

/**
 * Who executes a run: one worker at a time holds its lease, renewed while it works. A worker
 * killed mid-run stops renewing; once the lease runs out, any worker may take the run over and
 * continue from its persisted steps. Times come from the database's clock, so machines with
 * skewed clocks agree.
 */
export const workerId = () =>
  processSingleton("worker-id", () => `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`);

export const leaseSeconds = () => env().FLOWDECK_RUN_LEASE_SECONDS;

/** Takes the run if nobody else holds a live lease on it and it has not ended. */
export async function claimRun(prisma: PrismaClient, runId: string): Promise<boolean> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    UPDATE "Run" SET "leaseOwner" = ${workerId()}, "leaseExpiresAt" = now() + make_interval(secs => ${leaseSeconds()})
    WHERE "id" = ${runId} AND "status" IN ('QUEUED', 'RUNNING', 'WAITING')
      AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < now() OR "leaseOwner" = ${workerId()})
    RETURNING "id"`;
  return rows.length === 1;
}

/**
 * Extends the leases of every run this process executes, in one statement. Answers, for each run
 * still held, whether a cancel was asked for; a run missing from the answer was taken over.
 */
export async function renewLeases(
  prisma: PrismaClient,
  runIds: string[],
): Promise<Map<string, { cancelRequested: boolean }>> {
  const rows = await prisma.$queryRaw<{ id: string; cancelRequestedAt: Date | null }[]>`
    UPDATE "Run" SET "leaseExpiresAt" = now() + make_interval(secs => ${leaseSeconds()})
    WHERE "leaseOwner" = ${workerId()} AND "id" = ANY(${runIds}::text[])
    RETURNING "id", "cancelRequestedAt"`;
  return new Map(rows.map((r) => [r.id, { cancelRequested: r.cancelRequestedAt !== null }]));
}

/** Lets go of the run; says whether a cancel was asked for meanwhile (then nobody holds the run to stop it). */
export async function releaseLease(prisma: PrismaClient, runId: string): Promise<{ cancelRequested: boolean }> {
  const rows = await prisma.$queryRaw<{ cancelRequestedAt: Date | null }[]>`
    UPDATE "Run" SET "leaseOwner" = NULL, "leaseExpiresAt" = NULL WHERE "id" = ${runId} AND "leaseOwner" = ${workerId()}
    RETURNING "cancelRequestedAt"`;
  return { cancelRequested: rows[0]?.cancelRequestedAt != null };
}

/** Runs whose worker stopped renewing (it died), and queued runs nobody picked up for a while. */
export async function orphanedRuns(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Run"
    WHERE ("status" = 'RUNNING' AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < now()))
       OR ("status" = 'QUEUED' AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < now()) AND "createdAt" < now() - interval '30 seconds')
    LIMIT 100`;
  return rows.map((r) => r.id);
}
