-- Dashboards at 100,000 runs read indexes only (no table pages): the runs' indexes carry the
-- run id (to reach its steps and ledger rows), and steps and ledger rows have an index by run
-- that holds every column the dashboards read. Replaces the two run indexes of the rollups.
DROP INDEX IF EXISTS "Run_dashboard_idx";
DROP INDEX IF EXISTS "Run_workflow_dashboard_idx";
CREATE INDEX "Run_dashboard_idx" ON "Run" ("workspaceId", "createdAt") INCLUDE ("id", "status", "workflowId", "version", "parentRunId", "durationMs", "costUsd", "inputTokens", "outputTokens");
CREATE INDEX "Run_workflow_dashboard_idx" ON "Run" ("workflowId", "createdAt") INCLUDE ("id", "workspaceId", "status", "version", "parentRunId", "durationMs", "costUsd", "inputTokens", "outputTokens");
CREATE INDEX "RunStep_stats_idx" ON "RunStep" ("runId") INCLUDE ("nodeId", "kind", "status", "startedAt", "endedAt", "costUsd");
CREATE INDEX "UsageRecord_run_spend_idx" ON "UsageRecord" ("runId") INCLUDE ("source", "alias", "costUsd", "inputTokens", "outputTokens");
