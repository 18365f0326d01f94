-- A workflow's cost cap per run (USD): a model call that could take a run past it is refused,
-- and the run fails saying so. Null: no cap.
ALTER TABLE "Workflow" ADD COLUMN "maxRunCostUsd" DOUBLE PRECISION;
