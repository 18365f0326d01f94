-- What started each run, and webhook triggers with their deliveries.
ALTER TABLE "Run" ADD COLUMN "trigger" TEXT NOT NULL DEFAULT 'api';
ALTER TABLE "Run" ADD COLUMN "triggerId" TEXT;
-- Runs before this migration: a run with a parent is a sub-workflow's; a draft run came from the editor.
UPDATE "Run" SET "trigger" = 'subworkflow' WHERE "parentRunId" IS NOT NULL;
UPDATE "Run" SET "trigger" = 'editor' WHERE "parentRunId" IS NULL AND "version" IS NULL;

CREATE TABLE "Trigger" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "config" JSONB NOT NULL,
    "secret" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Trigger_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Trigger_workflowId_idx" ON "Trigger"("workflowId");
ALTER TABLE "Trigger" ADD CONSTRAINT "Trigger_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES "Workflow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "TriggerDelivery" (
    "id" TEXT NOT NULL,
    "triggerId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "idempotencyKey" TEXT,
    "status" INTEGER NOT NULL,
    "runId" TEXT,
    "error" TEXT,
    "payload" TEXT NOT NULL,
    "ms" INTEGER,
    CONSTRAINT "TriggerDelivery_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "TriggerDelivery_triggerId_idempotencyKey_key" ON "TriggerDelivery"("triggerId", "idempotencyKey");
CREATE INDEX "TriggerDelivery_triggerId_at_idx" ON "TriggerDelivery"("triggerId", "at");
ALTER TABLE "TriggerDelivery" ADD CONSTRAINT "TriggerDelivery_triggerId_fkey" FOREIGN KEY ("triggerId") REFERENCES "Trigger"("id") ON DELETE CASCADE ON UPDATE CASCADE;
