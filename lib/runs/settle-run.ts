import "server-only";
import type { PrismaClient } from "../db/generated/client";
import type { RunEventInput, RunSettlement } from "../engine/ports";
import { settlementEvent } from "../engine/run/settlement-event";
import { publishSoon } from "../platform/channels";
import { cancelledDecision } from "../schemas/review";
import type { RunStatus } from "../schemas/run";
import { publishRunEvent } from "./live-events";

/**
 * The one way a run ends (completed, failed, cancelled, past its deadline) or pauses for a
 * person: ONE statement writes the status and result, rolls the run's steps up onto it (cost,
 * tokens, duration), appends the terminal event after the run's last one, and, for a cancelled
 * run, closes its pending reviews. So nobody ever sees a run ended without its event, an event
 * without the ended run, or a run that ends twice. Then followers are told.
 *
 * `when` says who may settle: the worker holding the run's lease (`{ leaseOwner }`), anyone
 * while no live worker holds it (`"idle"`: cancel of a queued or waiting run, or one whose
 * worker died), or `"unheld"` for stores that run outside workers (tests, benchmarks).
 * False when the condition did not hold or the run had ended already.
 */
export type SettleWhen = { leaseOwner: string } | "idle" | "unheld";

const STATUS: Record<RunSettlement["status"], RunStatus> = {
  completed: "COMPLETED",
  waiting: "WAITING",
  failed: "FAILED",
  cancelled: "CANCELLED",
};

export async function settleRun(
  prisma: PrismaClient,
  runId: string,
  settlement: RunSettlement,
  when: SettleWhen,
  /** Told of the stored event; by default it is published to the run's followers. */
  onEvent: (runId: string, event: RunEventInput & { seq: number }) => void = (id, e) => publishRunEvent(id, e),
): Promise<boolean> {
  const event = settlementEvent(settlement);
  const status = STATUS[settlement.status];
  const output = settlement.status === "completed" ? JSON.stringify({ value: settlement.output ?? null }) : null;
  const error =
    settlement.status === "failed" ? settlement.error : settlement.status === "cancelled" ? "Cancelled" : null;
  const ends = settlement.status !== "waiting";
  const owner = typeof when === "object" ? when.leaseOwner : null;
  const idle = when === "idle";
  const payload = event.payload === undefined ? null : JSON.stringify(event.payload);
  const closeReviews = settlement.status === "cancelled";
  const rows = await prisma.$queryRaw<{ seq: number; workspaceId: string; closed: number }[]>`
    WITH settled AS (
      UPDATE "Run" r SET
        "status" = ${status}::"RunStatus",
        "output" = COALESCE(${output}::jsonb, r."output"),
        "error" = ${error},
        "endedAt" = CASE WHEN ${ends} THEN now() ELSE NULL END,
        "costUsd" = s.cost, "inputTokens" = s.input, "outputTokens" = s.output,
        "durationMs" = CASE WHEN ${ends} THEN (extract(epoch FROM now() - r."createdAt") * 1000)::int ELSE NULL END
      FROM (SELECT coalesce(sum("costUsd"), 0) AS cost, coalesce(sum("inputTokens"), 0)::int AS input, coalesce(sum("outputTokens"), 0)::int AS output
            FROM "RunStep" WHERE "runId" = ${runId}) s
      WHERE r."id" = ${runId} AND r."status" IN ('QUEUED', 'RUNNING', 'WAITING')
        AND (${owner}::text IS NULL OR r."leaseOwner" = ${owner})
        AND (NOT ${idle} OR r."leaseExpiresAt" IS NULL OR r."leaseExpiresAt" < now())
      RETURNING r."id", r."workspaceId"
    ), closed AS (
      UPDATE "Review" SET "status" = 'DECIDED', "decision" = ${JSON.stringify(cancelledDecision)}::jsonb, "decidedAt" = now()
      WHERE ${closeReviews} AND "runId" = ${runId} AND "status" = 'PENDING' AND EXISTS (SELECT 1 FROM settled)
      RETURNING "id"
    ), appended AS (
      INSERT INTO "RunEvent" ("runId", "seq", "type", "nodeId", "payload")
      SELECT ${runId}, COALESCE(MAX("seq"), 0) + 1, ${event.type}, ${event.nodeId ?? null}, ${payload}::jsonb
      FROM "RunEvent" WHERE "runId" = ${runId}
      HAVING EXISTS (SELECT 1 FROM settled)
      RETURNING "seq"
    )
    SELECT a."seq", s."workspaceId", (SELECT count(*) FROM closed)::int AS "closed" FROM appended a, settled s`;
  const row = rows[0];
  if (!row) return false;
  onEvent(runId, { ...event, seq: Number(row.seq) });
  if (row.closed > 0) publishSoon("reviews", row.workspaceId);
  return true;
}
