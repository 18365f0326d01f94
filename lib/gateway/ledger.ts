import "server-only";
import { database } from "../db/client";
import { bufferedWriter } from "../platform/buffered-writer";
import type { UsageEntry } from "../schemas/usage";
import { storableJson } from "../schemas/storable";

export type { UsageEntry };

/**
 * The usage ledger: one row per call, written off the hot path through a buffered writer
 * (lib/platform): records are inserted together every quarter second (or at 200), and the
 * daily totals (UsageDaily) are added up in the same statement, in plain SQL (the ORM would
 * cost the server more than the calls it records). A batch the database
 * refused is kept and written again, so no call goes unrecorded.
 */
const ledger = bufferedWriter<UsageEntry>({ name: "usage-ledger", write: writeBatch });

export function recordUsage(entry: UsageEntry): void {
  ledger.add(entry);
}

/** Writes what is buffered (readers of the ledger call it first, to see every call so far). */
export function flushLedger(): Promise<void> {
  return ledger.flush();
}

// The batch's rows and its daily totals in one statement (one commit): the rows come as one
// JSON array; those not written before (by id) are inserted, and their totals are added up per
// day (UTC), workspace, person, alias and workflow, and upserted in key order (two processes'
// batches lock the same rows in the same order).
const WRITE_BATCH = `
WITH rows AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
    "id" text, "workspaceId" text, "userId" text, "apiKeyId" text, "runId" text, "nodeId" text,
    "workflowId" text, "alias" text, "deploymentId" text, "providerKind" text, "modelId" text,
    "inputTokens" int, "outputTokens" int, "costUsd" float8, "latencyMs" int, "ttftMs" int,
    "status" text, "error" text, "cacheHit" boolean, "source" text, "at" timestamp(3))
), written AS (
  INSERT INTO "UsageRecord" ("id", "workspaceId", "userId", "apiKeyId", "runId", "nodeId", "workflowId", "alias",
    "deploymentId", "providerKind", "modelId", "inputTokens", "outputTokens", "costUsd", "latencyMs", "ttftMs",
    "status", "error", "cacheHit", "source", "at")
  SELECT "id", "workspaceId", "userId", "apiKeyId", "runId", "nodeId", "workflowId", "alias", "deploymentId",
    "providerKind", "modelId", "inputTokens", "outputTokens", "costUsd", "latencyMs", "ttftMs", "status", "error",
    "cacheHit", "source", "at" FROM rows
  ON CONFLICT ("id") DO NOTHING
  RETURNING "at", "workspaceId", "userId", "alias", "workflowId", "status", "cacheHit", "inputTokens",
    "outputTokens", "costUsd"
)
INSERT INTO "UsageDaily" ("day", "workspaceId", "userId", "alias", "workflowId", "calls", "errors", "cacheHits",
  "inputTokens", "outputTokens", "costUsd")
SELECT "at"::date, "workspaceId", coalesce("userId", ''), "alias", coalesce("workflowId", ''), count(*),
  count(*) FILTER (WHERE "status" <> 'ok'), count(*) FILTER (WHERE "cacheHit"), sum("inputTokens"),
  sum("outputTokens"), sum("costUsd")
FROM written GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
ON CONFLICT ("day", "workspaceId", "userId", "alias", "workflowId") DO UPDATE SET
  "calls" = "UsageDaily"."calls" + EXCLUDED."calls", "errors" = "UsageDaily"."errors" + EXCLUDED."errors",
  "cacheHits" = "UsageDaily"."cacheHits" + EXCLUDED."cacheHits",
  "inputTokens" = "UsageDaily"."inputTokens" + EXCLUDED."inputTokens",
  "outputTokens" = "UsageDaily"."outputTokens" + EXCLUDED."outputTokens",
  "costUsd" = "UsageDaily"."costUsd" + EXCLUDED."costUsd"`;

/**
 * Each row is stored under the id the writer gave it when it was recorded, so a batch written
 * again (its commit went through but the answer was lost with the connection) is not counted
 * twice: rows already there are skipped, and only the rows written add to the day's totals.
 */
async function writeBatch(batch: UsageEntry[], ids: string[]): Promise<void> {
  const rows = batch.map((e, i) => ({ ...e, id: ids[i], at: e.at.toISOString() }));
  await (await database()).sql.query(WRITE_BATCH, [storableJson(rows)], "flowdeck_usage_batch");
}
