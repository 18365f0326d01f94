-- Guardrail policies on every model call (organization-wide, or one workspace's), and what they did.
CREATE TABLE "GuardrailPolicy" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "rules" JSONB NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "GuardrailPolicy_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "GuardrailPolicy_workspaceId_idx" ON "GuardrailPolicy"("workspaceId");

CREATE TABLE "GuardrailViolation" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "policyId" TEXT NOT NULL,
    "policyName" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "alias" TEXT,
    "userId" TEXT,
    "apiKeyId" TEXT,
    "runId" TEXT,
    "nodeId" TEXT,
    "source" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "GuardrailViolation_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "GuardrailViolation_workspaceId_at_idx" ON "GuardrailViolation"("workspaceId", "at");
CREATE INDEX "GuardrailViolation_at_idx" ON "GuardrailViolation"("at");

-- The organization's budget over every workspace's calls, and the budget alerts sent.
CREATE TABLE "OrganizationSettings" (
    "id" TEXT NOT NULL DEFAULT 'organization',
    "budgetUsd" DOUBLE PRECISION,
    "budgetPeriod" "BudgetPeriod" NOT NULL DEFAULT 'MONTH',
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "OrganizationSettings_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "BudgetAlert" (
    "key" TEXT NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "percent" INTEGER NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "BudgetAlert_pkey" PRIMARY KEY ("key","periodStart","percent")
);
