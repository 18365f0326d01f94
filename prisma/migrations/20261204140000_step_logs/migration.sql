-- A Code step's console lines, kept with its step record.
ALTER TABLE "RunStep" ADD COLUMN "logs" JSONB;
