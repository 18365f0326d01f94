import "server-only";
import { db } from "../db/client";
import { startConfigOf } from "../schemas/node-kinds/start";
import { workflowGraphSchema } from "../schemas/workflow";

/**
 * A form's or a chat's trigger, turned on, with what its page shows of the workflow: its name,
 * description and the published version's Start fields. Null when it is unknown, turned off,
 * of another kind, its workflow is in the bin, or nothing is published yet (all the same to a
 * visitor: "not available").
 */
export async function publishedTrigger(id: string, kind: "form" | "chat") {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return null;
  const prisma = await db();
  const row = await prisma.trigger.findFirst({
    where: { id, enabled: true, kind, workflow: { deletedAt: null } },
    include: {
      workflow: {
        select: {
          name: true,
          description: true,
          versions: { orderBy: { version: "desc" }, take: 1, select: { graph: true } },
        },
      },
    },
  });
  const version = row?.workflow.versions[0];
  if (!row || !version) return null;
  const graph = workflowGraphSchema.parse(version.graph);
  const { fields } = startConfigOf(graph);
  return {
    row,
    title: row.workflow.name,
    description: row.workflow.description,
    fields,
  };
}
