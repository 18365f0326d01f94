-- CreateEnum
CREATE TYPE "McpTransport" AS ENUM ('STDIO', 'HTTP');

-- CreateEnum
CREATE TYPE "ToolRisk" AS ENUM ('LOW', 'MEDIUM', 'HIGH');

-- CreateTable
CREATE TABLE "McpServer" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "transport" "McpTransport" NOT NULL,
    "command" TEXT,
    "args" TEXT[],
    "envSealed" TEXT,
    "url" TEXT,
    "headersSealed" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "lastPingAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "McpServer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "McpTool" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "toolName" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "inputSchema" JSONB NOT NULL,
    "schemaHash" TEXT NOT NULL,
    "approvedHash" TEXT,
    "allowedRoles" "Role"[],
    "allowedWorkflowIds" TEXT[],
    "risk" "ToolRisk" NOT NULL DEFAULT 'LOW',
    "requiresApproval" BOOLEAN NOT NULL DEFAULT false,
    "missingSince" TIMESTAMP(3),
    "discoveredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "McpTool_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ToolCallAudit" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT,
    "runId" TEXT,
    "nodeId" TEXT,
    "workflowId" TEXT,
    "serverName" TEXT NOT NULL,
    "toolName" TEXT NOT NULL,
    "arguments" JSONB,
    "outcome" TEXT NOT NULL,
    "error" TEXT,
    "resultBytes" INTEGER NOT NULL DEFAULT 0,
    "latencyMs" INTEGER NOT NULL DEFAULT 0,
    "approver" TEXT,
    "source" TEXT NOT NULL DEFAULT 'workflow',
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ToolCallAudit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "McpServer_workspaceId_name_key" ON "McpServer"("workspaceId", "name");

-- CreateIndex
CREATE INDEX "McpTool_serverId_idx" ON "McpTool"("serverId");

-- CreateIndex
CREATE UNIQUE INDEX "McpTool_workspaceId_name_key" ON "McpTool"("workspaceId", "name");

-- CreateIndex
CREATE INDEX "ToolCallAudit_workspaceId_at_idx" ON "ToolCallAudit"("workspaceId", "at");

-- AddForeignKey
ALTER TABLE "McpTool" ADD CONSTRAINT "McpTool_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "McpServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
