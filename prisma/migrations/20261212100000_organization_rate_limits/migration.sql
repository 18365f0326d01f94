-- The organization's rate limits over every team's model calls together (null: none).
ALTER TABLE "OrganizationSettings" ADD COLUMN "requestsPerMinute" INTEGER;
ALTER TABLE "OrganizationSettings" ADD COLUMN "tokensPerMinute" INTEGER;
