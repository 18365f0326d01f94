-- Installation owners may configure what runs on the host (stdio MCP servers). The first
-- person ever set up is one; an owner names others.
ALTER TABLE "User" ADD COLUMN "installationOwner" BOOLEAN NOT NULL DEFAULT false;
UPDATE "User" SET "installationOwner" = true
WHERE "id" = (SELECT "id" FROM "User" ORDER BY "createdAt" ASC, "id" ASC LIMIT 1);
