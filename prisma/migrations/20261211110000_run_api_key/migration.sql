-- The API key that started a run: an application key's limits hold for the run's model calls.
ALTER TABLE "Run" ADD COLUMN "apiKeyId" TEXT;
