-- CreateEnum
CREATE TYPE "ProviderKind" AS ENUM ('OPENAI', 'ANTHROPIC', 'OPENAI_COMPATIBLE');

-- CreateEnum
CREATE TYPE "BudgetPeriod" AS ENUM ('DAY', 'MONTH');

-- CreateTable
CREATE TABLE "ModelProvider" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ProviderKind" NOT NULL,
    "baseUrl" TEXT,
    "apiKeySealed" TEXT,
    "apiKeyLastFour" TEXT,
    "testedAt" TIMESTAMP(3),
    "testError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelProvider_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelAlias" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "inputPricePerMTok" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "outputPricePerMTok" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "contextWindow" INTEGER NOT NULL DEFAULT 128000,
    "supportsTools" BOOLEAN NOT NULL DEFAULT true,
    "supportsStructured" BOOLEAN NOT NULL DEFAULT true,
    "allowedRoles" "Role"[],
    "allowedUserIds" TEXT[],
    "cacheTtlSeconds" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ModelAlias_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelDeployment" (
    "id" TEXT NOT NULL,
    "aliasId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "weight" INTEGER NOT NULL DEFAULT 1,
    "position" INTEGER NOT NULL DEFAULT 0,
    "rpmLimit" INTEGER,
    "tpmLimit" INTEGER,
    "timeoutSeconds" INTEGER NOT NULL DEFAULT 60,

    CONSTRAINT "ModelDeployment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GatewaySettings" (
    "workspaceId" TEXT NOT NULL,
    "userRpm" INTEGER,
    "userTpm" INTEGER,
    "workspaceRpm" INTEGER,
    "workspaceTpm" INTEGER,
    "workspaceBudgetUsd" DOUBLE PRECISION,
    "userBudgetUsd" DOUBLE PRECISION,
    "budgetPeriod" "BudgetPeriod" NOT NULL DEFAULT 'MONTH',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GatewaySettings_pkey" PRIMARY KEY ("workspaceId")
);

-- CreateTable
CREATE TABLE "BudgetUsage" (
    "key" TEXT NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "spentUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "reservedUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "BudgetUsage_pkey" PRIMARY KEY ("key","periodStart")
);

-- CreateTable
CREATE TABLE "GatewayCache" (
    "key" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "alias" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "hits" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GatewayCache_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "UsageRecord" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT,
    "apiKeyId" TEXT,
    "runId" TEXT,
    "nodeId" TEXT,
    "workflowId" TEXT,
    "alias" TEXT NOT NULL,
    "deploymentId" TEXT,
    "providerKind" TEXT,
    "modelId" TEXT,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "latencyMs" INTEGER NOT NULL DEFAULT 0,
    "ttftMs" INTEGER,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "cacheHit" BOOLEAN NOT NULL DEFAULT false,
    "source" TEXT NOT NULL DEFAULT 'workflow',
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsageRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageDaily" (
    "day" DATE NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT NOT NULL DEFAULT '',
    "alias" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL DEFAULT '',
    "calls" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "cacheHits" INTEGER NOT NULL DEFAULT 0,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "UsageDaily_pkey" PRIMARY KEY ("day","workspaceId","userId","alias","workflowId")
);

-- CreateIndex
CREATE UNIQUE INDEX "ModelProvider_workspaceId_name_key" ON "ModelProvider"("workspaceId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ModelAlias_workspaceId_name_key" ON "ModelAlias"("workspaceId", "name");

-- CreateIndex
CREATE INDEX "ModelDeployment_aliasId_idx" ON "ModelDeployment"("aliasId");

-- CreateIndex
CREATE INDEX "GatewayCache_workspaceId_alias_idx" ON "GatewayCache"("workspaceId", "alias");

-- CreateIndex
CREATE INDEX "UsageRecord_workspaceId_at_idx" ON "UsageRecord"("workspaceId", "at");

-- CreateIndex
CREATE INDEX "UsageRecord_runId_idx" ON "UsageRecord"("runId");

-- AddForeignKey
ALTER TABLE "ModelDeployment" ADD CONSTRAINT "ModelDeployment_aliasId_fkey" FOREIGN KEY ("aliasId") REFERENCES "ModelAlias"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelDeployment" ADD CONSTRAINT "ModelDeployment_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "ModelProvider"("id") ON DELETE CASCADE ON UPDATE CASCADE;
