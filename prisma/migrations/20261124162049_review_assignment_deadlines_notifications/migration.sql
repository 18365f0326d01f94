-- AlterTable
ALTER TABLE "Review" ADD COLUMN     "allowSelfApproval" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "assigneeId" TEXT,
ADD COLUMN     "dueAt" TIMESTAMP(3),
ADD COLUMN     "escalateToRole" TEXT,
ADD COLUMN     "escalatedAt" TIMESTAMP(3),
ADD COLUMN     "onExpiry" TEXT,
ADD COLUMN     "requesterId" TEXT,
ADD COLUMN     "reviewerEmail" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "reviewerRole" TEXT NOT NULL DEFAULT 'REVIEWER',
ADD COLUMN     "workflowId" TEXT;

-- CreateTable
CREATE TABLE "ReviewComment" (
    "id" TEXT NOT NULL,
    "reviewId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "link" TEXT NOT NULL,
    "readAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationSettings" (
    "workspaceId" TEXT NOT NULL,
    "webhookUrl" TEXT,
    "webhookSecret" TEXT,
    "email" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NotificationSettings_pkey" PRIMARY KEY ("workspaceId")
);

-- CreateIndex
CREATE INDEX "ReviewComment_reviewId_createdAt_idx" ON "ReviewComment"("reviewId", "createdAt");

-- CreateIndex
CREATE INDEX "Notification_userId_workspaceId_createdAt_idx" ON "Notification"("userId", "workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "Review_workspaceId_status_dueAt_idx" ON "Review"("workspaceId", "status", "dueAt");

-- CreateIndex
CREATE INDEX "Review_workspaceId_status_assigneeId_idx" ON "Review"("workspaceId", "status", "assigneeId");

-- AddForeignKey
ALTER TABLE "ReviewComment" ADD CONSTRAINT "ReviewComment_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "Review"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Reviews filed before this migration: copy who may decide, the requester and the workflow
-- from the request and its run, so the inbox's database filters see them too.
UPDATE "Review" r SET
  "reviewerRole" = COALESCE(r."payload"->>'reviewerRole', 'REVIEWER'),
  "reviewerEmail" = lower(COALESCE(r."payload"->>'reviewerEmail', '')),
  "allowSelfApproval" = COALESCE((r."payload"->>'allowSelfApproval')::boolean, false),
  "requesterId" = run."startedById",
  "workflowId" = run."workflowId"
FROM "Run" run WHERE run."id" = r."runId";
