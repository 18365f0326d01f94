import "server-only";
import type { Viewer } from "../auth/session";
import { db } from "../db/client";
import { AppError } from "../errors/app-error";
import { can } from "../schemas/permissions";

/** The person a trigger's runs start as: who made it, while still an active member. */
export async function starter(trigger: { workspaceId: string; createdById: string }): Promise<Viewer> {
  const prisma = await db();
  const m = await prisma.membership.findUnique({
    where: { userId_workspaceId: { userId: trigger.createdById, workspaceId: trigger.workspaceId } },
    include: { user: true, workspace: true },
  });
  if (!m || m.status !== "ACTIVE" || !can(m.role, "workflows:write"))
    throw new AppError(
      "forbidden",
      "The person who made this trigger may no longer start runs here (no longer a member, or no longer a builder); a builder must make it again.",
    );
  const workspace = { id: m.workspaceId, name: m.workspace.name };
  return {
    user: { id: m.user.id, email: m.user.email, name: m.user.name },
    workspaces: [{ ...workspace, role: m.role }],
    workspace,
    role: m.role,
  };
}
