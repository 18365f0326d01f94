-- Chat: conversations (threads) with a chat trigger, one turn per message, each turn a run that
-- gets the conversation so far as memory (kept with the run, so a resumed run reads the same).
ALTER TABLE "Run" ADD COLUMN "conversation" JSONB;

CREATE TABLE "ChatThread" (
    "id" TEXT NOT NULL,
    "triggerId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT,
    "visitor" TEXT,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "summarizedTurns" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ChatThread_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ChatThread_triggerId_userId_updatedAt_idx" ON "ChatThread"("triggerId", "userId", "updatedAt");
CREATE INDEX "ChatThread_triggerId_visitor_updatedAt_idx" ON "ChatThread"("triggerId", "visitor", "updatedAt");
ALTER TABLE "ChatThread" ADD CONSTRAINT "ChatThread_triggerId_fkey" FOREIGN KEY ("triggerId") REFERENCES "Trigger"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "ChatTurn" (
    "id" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ChatTurn_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ChatTurn_threadId_createdAt_idx" ON "ChatTurn"("threadId", "createdAt");
CREATE UNIQUE INDEX "ChatTurn_runId_key" ON "ChatTurn"("runId");
ALTER TABLE "ChatTurn" ADD CONSTRAINT "ChatTurn_threadId_fkey" FOREIGN KEY ("threadId") REFERENCES "ChatThread"("id") ON DELETE CASCADE ON UPDATE CASCADE;
