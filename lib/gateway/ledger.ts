import "server-only";
import { db } from "../db/client";
import { logger } from "../log/logger";

/**
 * The usage ledger: one row per call, written off the hot path. Calls add their record to a
 * buffer that is flushed every quarter second (or at 200 records) in one insert, and the
 * daily totals (UsageDaily) are added up in the same transaction.
 */
export interface UsageEntry {
  workspaceId: string;
  userId: string | null;
  apiKeyId: string | null;
  runId: string | null;
  nodeId: string | null;
  workflowId: string | null;
  alias: string;
  deploymentId: string | null;
  providerKind: string | null;
  modelId: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  ttftMs: number | null;
  status: "ok" | "error" | "refused";
  error: string | null;
  cacheHit: boolean;
  source: "workflow" | "api";
  at: Date;
}

const holder = globalThis as unknown as { __flowdeckLedger?: { buffer: UsageEntry[]; timer: NodeJS.Timeout | null; flushing: Promise<void> } };
const state = () => (holder.__flowdeckLedger ??= { buffer: [], timer: null, flushing: Promise.resolve() });

export function recordUsage(entry: UsageEntry): void {
  const s = state();
  s.buffer.push(entry);
  if (s.buffer.length >= 200) void flushLedger();
  else s.timer ??= setTimeout(() => void flushLedger(), 250);
}

/** Writes what is buffered (tests and shutdown call it to be sure). */
export function flushLedger(): Promise<void> {
  const s = state();
  if (s.timer) clearTimeout(s.timer);
  s.timer = null;
  const batch = s.buffer.splice(0);
  s.flushing = s.flushing.then(async () => {
    if (!batch.length) return;
    try {
      const prisma = await db();
      const day = (d: Date) => d.toISOString().slice(0, 10);
      const totals = new Map<string, { day: string; workspaceId: string; userId: string; alias: string; workflowId: string; calls: number; errors: number; cacheHits: number; inputTokens: number; outputTokens: number; costUsd: number }>();
      for (const e of batch) {
        const k = [day(e.at), e.workspaceId, e.userId ?? "", e.alias, e.workflowId ?? ""].join("|");
        const t = totals.get(k) ?? { day: day(e.at), workspaceId: e.workspaceId, userId: e.userId ?? "", alias: e.alias, workflowId: e.workflowId ?? "", calls: 0, errors: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
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
    } catch (error) {
      logger().error({ err: error, records: batch.length }, "could not write the usage ledger");
    }
  });
  return s.flushing;
}
