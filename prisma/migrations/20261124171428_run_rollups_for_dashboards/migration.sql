-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "costUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "durationMs" INTEGER,
ADD COLUMN     "inputTokens" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "outputTokens" INTEGER NOT NULL DEFAULT 0;

-- Runs from before: roll their steps up once.
UPDATE "Run" r SET
  "costUsd" = s.cost, "inputTokens" = s.input, "outputTokens" = s.output
FROM (SELECT "runId", coalesce(sum("costUsd"), 0) AS cost, coalesce(sum("inputTokens"), 0)::int AS input, coalesce(sum("outputTokens"), 0)::int AS output FROM "RunStep" GROUP BY "runId") s
WHERE s."runId" = r.id;
UPDATE "Run" SET "durationMs" = (extract(epoch FROM "endedAt" - "createdAt") * 1000)::int WHERE "endedAt" IS NOT NULL;

-- The dashboard reads runs of a workspace in a time range: answered from this index alone.
CREATE INDEX "Run_dashboard_idx" ON "Run" ("workspaceId", "createdAt") INCLUDE ("status", "workflowId", "version", "parentRunId", "durationMs", "costUsd", "inputTokens", "outputTokens");
CREATE INDEX "Run_workflow_dashboard_idx" ON "Run" ("workflowId", "createdAt") INCLUDE ("workspaceId", "status", "version", "parentRunId", "durationMs", "costUsd", "inputTokens", "outputTokens");
