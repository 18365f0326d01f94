import "server-only";
import { db } from "../db/client";
import { toJson } from "../db/json";
import { recordAudit } from "../audit/record";
import { hashPassword } from "../auth/password";
import { assertStrongPassword } from "../auth/password-strength";
import { AppError } from "../errors/app-error";
import type { SetupInput } from "../schemas/identity";
import { demoWorkflow } from "../workflows/demo-workflow";
import { uniqueSlug } from "./slug";

const SETUP_LOCK = 727_171_002;
const alreadySetUp = () =>
  new AppError("conflict", "Flowdeck is already set up. Sign in, or ask an admin for an account.");

/**
 * Creates the first admin, their workspace and its demo workflow, once. Two setup requests
 * at the same moment are serialised by an advisory lock; the second is refused.
 */
export async function createFirstAdmin(input: SetupInput): Promise<{ userId: string; workspaceId: string }> {
  const prisma = await db();
  if ((await prisma.user.count()) > 0) throw alreadySetUp();
  await assertStrongPassword(input.password, [input.email, input.name], "body.password");
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`;
    if ((await tx.user.count()) > 0) throw alreadySetUp();
    const user = await tx.user.create({
      // The first admin owns the installation: they alone may configure host commands at first.
      data: { email: input.email, name: input.name, passwordHash, installationOwner: true },
    });
    const workspace = await tx.workspace.create({
      data: {
        name: input.workspaceName,
        slug: await uniqueSlug(tx, input.workspaceName),
        memberships: { create: { userId: user.id, role: "ADMIN" } },
      },
    });
    await tx.workflow.create({
      data: { ...demoWorkflow, graph: toJson(demoWorkflow.graph), workspaceId: workspace.id, createdById: user.id },
    });
    await recordAudit(tx, {
      workspaceId: workspace.id,
      actorId: user.id,
      action: "setup.first-admin",
      targetType: "User",
      targetId: user.id,
      after: { email: user.email },
    });
    return { userId: user.id, workspaceId: workspace.id };
  });
}
