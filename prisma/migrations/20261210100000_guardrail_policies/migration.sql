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
