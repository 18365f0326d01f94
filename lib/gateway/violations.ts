import "server-only";
import { database } from "../db/client";
import { bufferedWriter } from "../platform/buffered-writer";
import type { Caller } from "./admission";
import type { Finding } from "./policy-guard";
import { storableJson } from "../schemas/storable";

interface ViolationRow extends Finding {
  workspaceId: string;
  alias: string;
  userId: string | null;
  apiKeyId: string | null;
  runId: string | null;
  nodeId: string | null;
  source: string;
  at: Date;
}

/**
 * What guardrail policies did to model calls, written off the hot path (a buffered writer, as
 * the usage ledger): the organization's trail and the dashboard's counts read it.
 */
const trail = bufferedWriter<ViolationRow>({ name: "guardrail-violations", write: writeBatch });

export function recordFindings(caller: Caller, alias: string, findings: Finding[]): void {
  const at = new Date();
  for (const f of findings)
    trail.add({
      ...f,
      workspaceId: caller.workspaceId,
      alias,
      userId: caller.userId,
      apiKeyId: caller.apiKeyId ?? null,
      runId: caller.runId ?? null,
      nodeId: caller.nodeId ?? null,
      source: caller.source,
      at,
    });
}

/** Writes what is buffered (readers of the trail call it first). */
export function flushViolations(): Promise<void> {
  return trail.flush();
}

const WRITE = `
INSERT INTO "GuardrailViolation" ("id", "workspaceId", "policyId", "policyName", "kind", "action", "detail", "alias",
  "userId", "apiKeyId", "runId", "nodeId", "source", "at")
SELECT "id", "workspaceId", "policyId", "policyName", "kind", "action", "detail", "alias", "userId", "apiKeyId",
  "runId", "nodeId", "source", "at"
FROM jsonb_to_recordset($1::jsonb) AS r("id" text, "workspaceId" text, "policyId" text, "policyName" text,
  "kind" text, "action" text, "detail" text, "alias" text, "userId" text, "apiKeyId" text, "runId" text,
  "nodeId" text, "source" text, "at" timestamp(3))
ON CONFLICT ("id") DO NOTHING`;

/** Stored under the writer's ids: a batch written again after a lost answer skips what is there. */
async function writeBatch(batch: ViolationRow[], ids: string[]): Promise<void> {
  const rows = batch.map((v, i) => ({ ...v, id: ids[i], at: v.at.toISOString() }));
  await (await database()).sql.query(WRITE, [storableJson(rows)], "flowdeck_guardrail_violations");
}
