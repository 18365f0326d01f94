-- CreateEnum
CREATE TYPE "ReviewStatus" AS ENUM ('PENDING', 'DECIDED');

-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'node',
    "payload" JSONB NOT NULL,
    "status" "ReviewStatus" NOT NULL DEFAULT 'PENDING',
    "decision" JSONB,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Review_workspaceId_status_createdAt_idx" ON "Review"("workspaceId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Review_runId_idx" ON "Review"("runId");
