import "server-only";
import { db } from "../db/client";
import { toJson } from "../db/json";
import { recordAudit } from "../audit/record";
import { notFound } from "../errors/app-error";
import type { WorkflowGraph } from "../schemas/workflow";
import { reviewDefaultsOf } from "./review-defaults";
import { workflowTemplates } from "./templates";

/**
 * Creates a template's workflows in one transaction: each specialist as a workflow with a
 * published version 1, then the main workflow with its sub-workflow nodes pointing at them.
 * Its Human Review steps go to reviewers the workspace has (`reviewDefaultsOf`).
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
    const reviewers = await reviewDefaultsOf(workspaceId, tx);
    const forThisTeam = (g: WorkflowGraph): WorkflowGraph => ({
      ...g,
      nodes: g.nodes.map((n) => (n.kind === "human-review" ? { ...n, config: { ...n.config, ...reviewers } } : n)),
    });
    const ids = new Map<string, string>();
    for (const specialist of template.specialists) {
      const s = { ...specialist, graph: forThisTeam(specialist.graph) };
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
    const main = forThisTeam(template.graph);
    const graph: WorkflowGraph = {
      ...main,
      nodes: main.nodes.map((n) =>
        n.kind === "sub-workflow" && typeof n.config.workflowId === "string" && n.config.workflowId.startsWith("@")
          ? { ...n, config: { ...n.config, workflowId: ids.get(n.config.workflowId.slice(1)) ?? "" } }
          : n,
      ),
    };
    const created = await tx.workflow.create({
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
      targetId: created.id,
      after: { template: template.id },
    });
    return { id: created.id, name: created.name };
  });
}
