import "server-only";
import type { Sql } from "../db/client";
import type { RunEventInput, RunSettlement } from "../engine/ports";
import { settlementEvent } from "../engine/run/settlement-event";
import { publishSoon } from "../platform/channels";
import { cancelledDecision } from "../schemas/review";
import { storableJson, storableText } from "../schemas/storable";
import type { RunStatus } from "../schemas/run";
import { notifyFollowersSql, publishRunEvents } from "./live-events";

/**
 * The one way a run ends (completed, failed, cancelled, past its deadline) or pauses for a
 * person: ONE statement writes the status and result, rolls the run's steps up onto it (cost,
 * tokens, duration), appends the terminal event after the run's last one, for a cancelled run
 * closes its pending reviews, for an ended run lets go of its lease, and on PostgreSQL notifies
 * the run's followers (at commit). So nobody ever sees a run ended without its event, an event
 * without the ended run, or a run that ends twice.
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

function settleStatement(notify: boolean): string {
  return `
WITH settled AS (
  UPDATE "Run" r SET
    "status" = $2::"RunStatus",
    "output" = COALESCE($3::jsonb, r."output"),
    "error" = $4,
    "endedAt" = CASE WHEN $5 THEN now() ELSE NULL END,
    "costUsd" = s.cost, "inputTokens" = s.input, "outputTokens" = s.output,
    "durationMs" = CASE WHEN $5 THEN (extract(epoch FROM now() - r."createdAt") * 1000)::int ELSE NULL END,
    "leaseOwner" = CASE WHEN $5 THEN NULL ELSE r."leaseOwner" END,
    "leaseExpiresAt" = CASE WHEN $5 THEN NULL ELSE r."leaseExpiresAt" END
  FROM (SELECT coalesce(sum("costUsd"), 0) AS cost, coalesce(sum("inputTokens"), 0)::int AS input,
               coalesce(sum("outputTokens"), 0)::int AS output
        FROM "RunStep" WHERE "runId" = $1) s
  WHERE r."id" = $1 AND r."status" IN ('QUEUED', 'RUNNING', 'WAITING')
    AND ($6::text IS NULL OR r."leaseOwner" = $6)
    AND (NOT $7 OR r."leaseExpiresAt" IS NULL OR r."leaseExpiresAt" < now())
  RETURNING r."id", r."workspaceId"
), closed AS (
  UPDATE "Review" SET "status" = 'DECIDED', "decision" = $8::jsonb, "decidedAt" = now()
  WHERE $9 AND "runId" = $1 AND "status" = 'PENDING' AND EXISTS (SELECT 1 FROM settled)
  RETURNING "id"
), appended AS (
  INSERT INTO "RunEvent" ("runId", "seq", "type", "nodeId", "payload")
  SELECT $1, COALESCE(MAX("seq"), 0) + 1, $10, $11, $12::jsonb
  FROM "RunEvent" WHERE "runId" = $1
  HAVING EXISTS (SELECT 1 FROM settled)
  RETURNING "seq", "type", "nodeId", "payload"
)${notify ? `, ${notifyFollowersSql("appended", "$1")}` : ""}
SELECT a."seq"::int AS "seq", s."workspaceId", (SELECT count(*) FROM closed)::int AS "closed"
FROM appended a CROSS JOIN settled s${notify ? " LEFT JOIN notified ON true" : ""}`;
}

const SETTLE = settleStatement(false);
const SETTLE_NOTIFYING = settleStatement(true);

export async function settleRun(
  sql: Sql,
  runId: string,
  settlement: RunSettlement,
  when: SettleWhen,
  /** Told of the stored event (traces, logs); followers are told by the statement itself. */
  onEvent?: (runId: string, event: RunEventInput & { seq: number }) => void,
): Promise<boolean> {
  const event = settlementEvent(settlement);
  // What the run made (its output, an error's words) may hold what PostgreSQL refuses: made storable.
  const output = settlement.status === "completed" ? storableJson({ value: settlement.output ?? null }) : null;
  const error =
    settlement.status === "failed"
      ? storableText(settlement.error)
      : settlement.status === "cancelled"
        ? "Cancelled"
        : null;
  const notify = sql.kind === "postgres";
  const rows = await sql.query<{ seq: number; workspaceId: string; closed: number }>(
    notify ? SETTLE_NOTIFYING : SETTLE,
    [
      runId,
      STATUS[settlement.status],
      output,
      error,
      settlement.status !== "waiting",
      typeof when === "object" ? when.leaseOwner : null,
      when === "idle",
      JSON.stringify(cancelledDecision),
      settlement.status === "cancelled",
      event.type,
      event.nodeId ?? null,
      event.payload === undefined ? null : storableJson(event.payload),
    ],
    "flowdeck_run_settle",
  );
  const row = rows[0];
  if (!row) return false;
  const stored = { ...event, seq: row.seq };
  // The embedded database has one process: its followers hear the event here.
  if (!notify) publishRunEvents(runId, [stored]);
  onEvent?.(runId, stored);
  if (row.closed > 0) publishSoon("reviews", row.workspaceId);
  return true;
}
