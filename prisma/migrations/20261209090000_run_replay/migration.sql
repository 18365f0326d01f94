-- "Replay from here": a run that replays an earlier one from a chosen step, reusing the steps
-- before it. Kept as plain ids (no foreign key): the replay keeps its story if the origin goes.
ALTER TABLE "Run" ADD COLUMN "replayOfId" TEXT;
ALTER TABLE "Run" ADD COLUMN "replayFromNodeId" TEXT;
