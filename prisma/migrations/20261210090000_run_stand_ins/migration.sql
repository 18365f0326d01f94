-- Steps a run answers without running them (an evaluation's tools and requests, answered from
-- the case's source run or a pin; a test run's pins after a branch), and how it decides its
-- reviews itself (an evaluation's review policy). Read by the worker with the run.
ALTER TABLE "Run" ADD COLUMN "standIns" JSONB;

-- An evaluation keeps the review settings it started with (a driver that takes it over uses the same).
ALTER TABLE "Evaluation" ADD COLUMN "reviews" JSONB;
