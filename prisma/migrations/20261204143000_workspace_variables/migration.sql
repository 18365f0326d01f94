-- A workspace's variables ({{vars.name}}) and secrets ({{secrets.name}}, sealed).
CREATE TABLE "WorkspaceVariable" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secret" BOOLEAN NOT NULL DEFAULT false,
    "value" TEXT NOT NULL,
    "hint" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" TEXT,

    CONSTRAINT "WorkspaceVariable_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "WorkspaceVariable_workspaceId_name_key" ON "WorkspaceVariable"("workspaceId", "name");

ALTER TABLE "WorkspaceVariable" ADD CONSTRAINT "WorkspaceVariable_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
