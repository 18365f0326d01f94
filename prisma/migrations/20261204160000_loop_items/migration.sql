-- A Loop step's child runs: one per item of its list, ever (a resumed loop finds them again).
ALTER TABLE "Run" ADD COLUMN "parentItem" INTEGER;
CREATE UNIQUE INDEX "Run_parentRunId_parentNodeId_parentItem_key" ON "Run"("parentRunId", "parentNodeId", "parentItem");
