-- One gateway for the organization: providers and models become the organization's (workspaceId
-- NULL), each workspace reaching the models it had through a grant under the same name, with the
-- same people allowed. A workspace keeps no providers of its own unless the organization lets it
-- bring its own keys (GatewaySettings.ownProviders). Sealed keys are not bound to a workspace, so
-- they move as they are and still open.

ALTER TABLE "GatewaySettings" ADD COLUMN "ownProviders" BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE "ModelGrant" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "aliasId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "allowedRoles" "Role"[],
    "allowedUserIds" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ModelGrant_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ModelGrant_workspaceId_name_key" ON "ModelGrant"("workspaceId", "name");
CREATE UNIQUE INDEX "ModelGrant_workspaceId_aliasId_key" ON "ModelGrant"("workspaceId", "aliasId");
CREATE INDEX "ModelGrant_aliasId_idx" ON "ModelGrant"("aliasId");
ALTER TABLE "ModelGrant" ADD CONSTRAINT "ModelGrant_aliasId_fkey" FOREIGN KEY ("aliasId") REFERENCES "ModelAlias"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Names become unique in the organization; the old per-workspace indexes go first, so renaming
-- cannot trip them halfway.
DROP INDEX "ModelProvider_workspaceId_name_key";
DROP INDEX "ModelAlias_workspaceId_name_key";

-- Every workspace's model, granted back to it under its name, to the same roles and people.
INSERT INTO "ModelGrant" ("id", "workspaceId", "aliasId", "name", "allowedRoles", "allowedUserIds")
SELECT 'grant-' || a."id", a."workspaceId", a."id", a."name", a."allowedRoles", a."allowedUserIds"
FROM "ModelAlias" a;
-- People are named on grants, per team; an organization model names roles only.
UPDATE "ModelAlias" SET "allowedUserIds" = '{}';

-- Names two workspaces both used get the workspace's slug in the organization's list (the grant
-- keeps the name the workspace's workflows use), within the forms' lengths; a name still shared
-- after that (two workspaces' slugs cut alike, a workspace's own "fast-acme") gets a piece of the
-- row's id, which is unique.
UPDATE "ModelAlias" a SET "name" = left(a."name", 40) || '-' || left(w."slug", 19)
FROM "Workspace" w
WHERE w."id" = a."workspaceId"
  AND (SELECT count(*) FROM "ModelAlias" b WHERE b."name" = a."name") > 1;
UPDATE "ModelAlias" a SET "name" = left(a."name", 51) || '-' || substr(md5(a."id"), 1, 8)
WHERE (SELECT count(*) FROM "ModelAlias" b WHERE b."name" = a."name") > 1;
UPDATE "ModelProvider" p SET "name" = left(p."name", 50) || ' (' || left(w."name", 26) || ')'
FROM "Workspace" w
WHERE w."id" = p."workspaceId"
  AND (SELECT count(*) FROM "ModelProvider" q WHERE q."name" = p."name") > 1;
UPDATE "ModelProvider" p SET "name" = left(p."name", 70) || ' ' || substr(md5(p."id"), 1, 8)
WHERE (SELECT count(*) FROM "ModelProvider" q WHERE q."name" = p."name") > 1;

ALTER TABLE "ModelProvider" ALTER COLUMN "workspaceId" DROP NOT NULL;
ALTER TABLE "ModelAlias" ALTER COLUMN "workspaceId" DROP NOT NULL;
UPDATE "ModelProvider" SET "workspaceId" = NULL;
UPDATE "ModelAlias" SET "workspaceId" = NULL;

-- Names stay unique per owner, the organization included.
CREATE UNIQUE INDEX "ModelProvider_workspaceId_name_key" ON "ModelProvider"("workspaceId", "name") NULLS NOT DISTINCT;
CREATE UNIQUE INDEX "ModelAlias_workspaceId_name_key" ON "ModelAlias"("workspaceId", "name") NULLS NOT DISTINCT;
