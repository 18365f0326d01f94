-- Application keys: API keys a workspace owns (for services), each with its own role, models,
-- budget, rate limit and expiry.
ALTER TABLE "ApiKey" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'PERSONAL';
ALTER TABLE "ApiKey" ADD COLUMN "role" "Role";
ALTER TABLE "ApiKey" ADD COLUMN "models" TEXT[] DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "ApiKey" ADD COLUMN "budgetUsd" DOUBLE PRECISION;
ALTER TABLE "ApiKey" ADD COLUMN "budgetPeriod" "BudgetPeriod" NOT NULL DEFAULT 'MONTH';
ALTER TABLE "ApiKey" ADD COLUMN "rpm" INTEGER;
ALTER TABLE "ApiKey" ADD COLUMN "expiresAt" TIMESTAMP(3);
