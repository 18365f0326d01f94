-- The most tokens one call of a model may answer with when the caller names no limit (reserved
-- against budgets, sent to the provider, enforced on the stream).
ALTER TABLE "ModelAlias" ADD COLUMN "maxOutputTokens" INTEGER NOT NULL DEFAULT 1000;
