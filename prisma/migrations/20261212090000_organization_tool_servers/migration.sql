-- Tool servers the organization owns (workspaceId NULL), added by installation owners and granted
-- to teams. A workspace's own servers stay as they are; names stay unique per owner, the
-- organization included.

ALTER TABLE "McpServer" ALTER COLUMN "workspaceId" DROP NOT NULL;
ALTER TABLE "McpServer" ADD COLUMN "toolCount" INTEGER NOT NULL DEFAULT 0;
DROP INDEX "McpServer_workspaceId_name_key";
CREATE UNIQUE INDEX "McpServer_workspaceId_name_key" ON "McpServer"("workspaceId", "name") NULLS NOT DISTINCT;

CREATE TABLE "ToolServerGrant" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT,
    CONSTRAINT "ToolServerGrant_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ToolServerGrant_workspaceId_serverId_key" ON "ToolServerGrant"("workspaceId", "serverId");
CREATE INDEX "ToolServerGrant_serverId_idx" ON "ToolServerGrant"("serverId");
ALTER TABLE "ToolServerGrant" ADD CONSTRAINT "ToolServerGrant_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "McpServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
