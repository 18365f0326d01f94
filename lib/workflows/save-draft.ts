import "server-only";
import { db } from "../db/client";
import { toJson } from "../db/json";
import { AppError, notFound } from "../errors/app-error";
import type { SaveDraftInput } from "../schemas/workflow";

/**
 * Saves the draft graph if nobody saved since the editor's revision (optimistic locking);
 * otherwise a 409 that tells the person who saved (themselves, from another tab, or someone
 * else) and offers them the choice, so nothing is overwritten silently. Drafts may have problems; publishing may not.
 */
export async function saveDraft(
  workspaceId: string,
  actorId: string,
  id: string,
  input: SaveDraftInput,
): Promise<{ revision: number; updatedAt: string }> {
  const prisma = await db();
  const res = await prisma.workflow.updateMany({
    where: { id, workspaceId, deletedAt: null, revision: input.revision },
    data: { graph: toJson(input.graph), revision: { increment: 1 }, updatedById: actorId },
  });
  const row = await prisma.workflow.findFirst({ where: { id, workspaceId, deletedAt: null } });
  if (!row) throw notFound("Workflow");
  if (res.count === 0) {
    const by = row.updatedById
      ? await prisma.user.findUnique({ where: { id: row.updatedById }, select: { name: true } })
      : null;
    // The same person in another tab or window is not "someone else": say so.
    throw new AppError(
      "conflict",
      row.updatedById === actorId
        ? `You saved this workflow in another tab or window since this page loaded it (now revision ${row.revision}, this page had ${input.revision}). Keep this page's version, reload the saved one, or keep this page's as a copy.`
        : `${by?.name ?? "Someone"} saved this workflow since you opened it (now revision ${row.revision}, yours was ${input.revision}). Keep your version, reload theirs, or keep yours as a copy.`,
    );
  }
  return { revision: row.revision, updatedAt: row.updatedAt.toISOString() };
}
