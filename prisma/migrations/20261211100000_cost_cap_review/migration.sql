-- A run at its cost cap may wait for an admin to raise it (Workflow.costCapAction REVIEW), and
-- the raised cap is kept on the run.
ALTER TABLE "Workflow" ADD COLUMN "costCapAction" TEXT NOT NULL DEFAULT 'FAIL';
ALTER TABLE "Run" ADD COLUMN "costCapUsd" DOUBLE PRECISION;
