-- The hosts a workspace's HTTP Request steps may reach (deny by default).
CREATE TABLE "HttpDestination" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "pattern" TEXT NOT NULL,
    "allowPrivate" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT,

    CONSTRAINT "HttpDestination_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "HttpDestination_workspaceId_pattern_key" ON "HttpDestination"("workspaceId", "pattern");

ALTER TABLE "HttpDestination" ADD CONSTRAINT "HttpDestination_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
