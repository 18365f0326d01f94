import "server-only";
import { db } from "../db/client";
import { toJson } from "../db/json";
import { recordAudit } from "../audit/record";
import { notFound } from "../errors/app-error";
import type { WorkflowGraph } from "../schemas/workflow";
import { workflowTemplates } from "./templates";

/**
 * Creates a template's workflows in one transaction: each specialist as a workflow with a
 * published version 1, then the main workflow with its sub-workflow nodes pointing at them.
 */
export async function createFromTemplate(
  workspaceId: string,
  actorId: string,
  templateId: string,
): Promise<{ id: string; name: string }> {
  const template = workflowTemplates.find((t) => t.id === templateId);
  if (!template) throw notFound("Template");
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const ids = new Map<string, string>();
    for (const s of template.specialists) {
      const wf = await tx.workflow.create({
        data: {
          workspaceId,
          name: s.name,
          description: s.description,
          graph: toJson(s.graph),
          createdById: actorId,
          updatedById: actorId,
        },
      });
      await tx.workflowVersion.create({
        data: {
          workflowId: wf.id,
          version: 1,
          graph: toJson(s.graph),
          note: "Created from a template",
          authorId: actorId,
        },
      });
      ids.set(s.key, wf.id);
    }
    const graph: WorkflowGraph = {
      ...template.graph,
      nodes: template.graph.nodes.map((n) =>
        n.kind === "sub-workflow" && typeof n.config.workflowId === "string" && n.config.workflowId.startsWith("@")
          ? { ...n, config: { ...n.config, workflowId: ids.get(n.config.workflowId.slice(1)) ?? "" } }
          : n,
      ),
    };
    const main = await tx.workflow.create({
      data: {
        workspaceId,
        name: template.name,
        description: template.description,
        graph: toJson(graph),
        createdById: actorId,
        updatedById: actorId,
      },
    });
    await recordAudit(tx, {
      workspaceId,
      actorId,
      action: "workflow.create-from-template",
      targetType: "Workflow",
      targetId: main.id,
      after: { template: template.id },
    });
    return { id: main.id, name: main.name };
  });
}
