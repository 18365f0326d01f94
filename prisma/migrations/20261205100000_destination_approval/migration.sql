-- A destination whose requests that change things (POST, PUT, PATCH, DELETE) wait for a person's approval.
ALTER TABLE "HttpDestination" ADD COLUMN "requireApproval" BOOLEAN NOT NULL DEFAULT false;
