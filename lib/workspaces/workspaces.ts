import "server-only";
import { db } from "../db/client";
import { toJson } from "../db/json";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors/app-error";
import { demoWorkflow } from "../workflows/demo-workflow";
import { uniqueSlug } from "./slug";

/** A new workspace, with its creator as admin and the demo workflow in it. */
export async function createWorkspace(actorId: string, name: string): Promise<{ id: string; name: string }> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const ws = await tx.workspace.create({
      data: { name, slug: await uniqueSlug(tx, name), memberships: { create: { userId: actorId, role: "ADMIN" } } },
    });
    await tx.workflow.create({
      data: { ...demoWorkflow, graph: toJson(demoWorkflow.graph), workspaceId: ws.id, createdById: actorId },
    });
    await recordAudit(tx, {
      workspaceId: ws.id,
      actorId,
      action: "workspace.create",
      targetType: "Workspace",
      targetId: ws.id,
      after: { name },
    });
    return { id: ws.id, name: ws.name };
  });
}

/** Checks that the person is an active member before the workspace becomes their current one. */
export async function assertMember(userId: string, workspaceId: string): Promise<void> {
  const prisma = await db();
  const m = await prisma.membership.findFirst({ where: { userId, workspaceId, status: "ACTIVE" } });
  if (!m) throw new AppError("not_found", "Workspace not found");
}
