import "server-only";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Sql } from "../db/client";
import type { ClaimedRun } from "../runs/local-runner";
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

const CLAIM = `
UPDATE "Run" r SET "leaseOwner" = $2, "leaseExpiresAt" = now() + make_interval(secs => $3::float8),
  "status" = CASE WHEN r."cancelRequestedAt" IS NULL THEN 'RUNNING'::"RunStatus" ELSE r."status" END,
  "startedAt" = CASE WHEN r."cancelRequestedAt" IS NULL THEN coalesce(r."startedAt", now()) ELSE r."startedAt" END
WHERE r."id" = $1 AND r."status" IN ('QUEUED', 'RUNNING', 'WAITING')
  AND (r."leaseExpiresAt" IS NULL OR r."leaseExpiresAt" < now() OR r."leaseOwner" = $2)
RETURNING r."id", r."workspaceId", r."workflowId", r."version", r."graph", r."input", r."conversation", r."standIns", r."startedById", r."parentRunId",
  r."depth", (extract(epoch FROM r."createdAt") * 1000)::float8 AS "createdAtMs",
  (extract(epoch FROM r."deadline") * 1000)::float8 AS "deadlineMs", r."cancelRequestedAt" IS NOT NULL AS "cancelRequested",
  (SELECT m."role"::text FROM "Membership" m
    WHERE m."userId" = r."startedById" AND m."workspaceId" = r."workspaceId" AND m."status" = 'ACTIVE') AS "starterRole",
  NOT EXISTS (SELECT 1 FROM "RunStep" s WHERE s."runId" = r."id") AS "fresh", r."apiKeyId",
  (SELECT json_build_object('id', k."id", 'name', k."name", 'models', k."models", 'budgetUsd', k."budgetUsd",
                            'budgetPeriod', k."budgetPeriod", 'rpm', k."rpm")
     FROM "ApiKey" k WHERE k."id" = r."apiKeyId" AND k."kind" = 'APPLICATION') AS "applicationKey"`;

/**
 * Takes the run if nobody else holds a live lease on it and it has not ended, marks it running
 * (unless a cancel was asked for), and reads what executing it needs: one round trip. Null
 * when it could not be taken.
 */
export async function claimRun(sql: Sql, runId: string): Promise<ClaimedRun | null> {
  const rows = await sql.query<ClaimedRun>(CLAIM, [runId, workerId(), leaseSeconds()], "flowdeck_run_claim");
  return rows[0] ?? null;
}

/**
 * Extends the leases of every run this process executes, in one statement. Answers, for each run
 * still held, whether a cancel was asked for; a run missing from the answer was taken over.
 */
export async function renewLeases(leaseSql: Sql, runIds: string[]): Promise<Map<string, { cancelRequested: boolean }>> {
  const rows = await leaseSql.query<{ id: string; cancelRequested: boolean }>(
    `UPDATE "Run" SET "leaseExpiresAt" = now() + make_interval(secs => $3::float8)
     WHERE "leaseOwner" = $1 AND "id" = ANY($2::text[])
     RETURNING "id", "cancelRequestedAt" IS NOT NULL AS "cancelRequested"`,
    [workerId(), runIds, leaseSeconds()],
    "flowdeck_lease_renew",
  );
  return new Map(rows.map((r) => [r.id, { cancelRequested: r.cancelRequested }]));
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
