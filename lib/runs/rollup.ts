import "server-only";
import type { PrismaClient } from "../db/generated/client";

/**
 * Rolls a run's own steps up onto the run (cost, tokens, and its duration once it ended), so
 * dashboards read one row per run instead of every step. Called whenever a run settles.
 */
export async function rollUpRun(prisma: PrismaClient, runId: string): Promise<void> {
  await prisma.$executeRaw`
    UPDATE "Run" r SET "costUsd" = s.cost, "inputTokens" = s.input, "outputTokens" = s.output,
      "durationMs" = CASE WHEN r."endedAt" IS NULL THEN NULL ELSE (extract(epoch FROM r."endedAt" - r."createdAt") * 1000)::int END
    FROM (SELECT coalesce(sum("costUsd"), 0) AS cost, coalesce(sum("inputTokens"), 0)::int AS input, coalesce(sum("outputTokens"), 0)::int AS output FROM "RunStep" WHERE "runId" = ${runId}) s
    WHERE r.id = ${runId}`;
}
