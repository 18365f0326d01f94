import "server-only";
import { db } from "../db/client";
import { bufferedWriter } from "../platform/buffered-writer";
import type { UsageEntry } from "../schemas/usage";

export type { UsageEntry };

/**
 * The usage ledger: one row per call, written off the hot path through a buffered writer
 * (lib/platform): records are inserted together every quarter second (or at 200), and the
 * daily totals (UsageDaily) are added up in the same transaction. A batch the database
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

async function writeBatch(batch: UsageEntry[]): Promise<void> {
  const prisma = await db();
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const totals = new Map<
    string,
    {
      day: string;
      workspaceId: string;
      userId: string;
      alias: string;
      workflowId: string;
      calls: number;
      errors: number;
      cacheHits: number;
      inputTokens: number;
      outputTokens: number;
      costUsd: number;
    }
  >();
  for (const e of batch) {
    const k = [day(e.at), e.workspaceId, e.userId ?? "", e.alias, e.workflowId ?? ""].join("|");
    const t = totals.get(k) ?? {
      day: day(e.at),
      workspaceId: e.workspaceId,
      userId: e.userId ?? "",
      alias: e.alias,
      workflowId: e.workflowId ?? "",
      calls: 0,
      errors: 0,
      cacheHits: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
    };
    t.calls += 1;
    t.errors += e.status === "ok" ? 0 : 1;
    t.cacheHits += e.cacheHit ? 1 : 0;
    t.inputTokens += e.inputTokens;
    t.outputTokens += e.outputTokens;
    t.costUsd += e.costUsd;
    totals.set(k, t);
  }
  await prisma.$transaction(async (tx) => {
    await tx.usageRecord.createMany({ data: batch });
    for (const t of totals.values()) {
      await tx.$executeRaw`
        INSERT INTO "UsageDaily" ("day", "workspaceId", "userId", "alias", "workflowId", "calls", "errors", "cacheHits", "inputTokens", "outputTokens", "costUsd")
        VALUES (${t.day}::date, ${t.workspaceId}, ${t.userId}, ${t.alias}, ${t.workflowId}, ${t.calls}, ${t.errors}, ${t.cacheHits}, ${t.inputTokens}, ${t.outputTokens}, ${t.costUsd})
        ON CONFLICT ("day", "workspaceId", "userId", "alias", "workflowId") DO UPDATE SET
          "calls" = "UsageDaily"."calls" + EXCLUDED."calls", "errors" = "UsageDaily"."errors" + EXCLUDED."errors",
          "cacheHits" = "UsageDaily"."cacheHits" + EXCLUDED."cacheHits", "inputTokens" = "UsageDaily"."inputTokens" + EXCLUDED."inputTokens",
          "outputTokens" = "UsageDaily"."outputTokens" + EXCLUDED."outputTokens", "costUsd" = "UsageDaily"."costUsd" + EXCLUDED."costUsd"`;
    }
  });
}
