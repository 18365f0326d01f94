import "server-only";
import { db } from "../db/client";
import { toJson } from "../db/json";
import { recordAudit } from "../audit/record";
import { notFound } from "../errors/app-error";
import { workflowGraphSchema, type CreateWorkflowInput, type WorkflowGraph, type WorkflowSummary } from "../schemas/workflow";

const emptyGraph: WorkflowGraph = {
  nodes: [{ id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } }],
  edges: [],
};

function summary(row: { id: string; name: string; description: string; graph: unknown; revision: number; updatedAt: Date }): WorkflowSummary {
  const graph = workflowGraphSchema.parse(row.graph);
  return { id: row.id, name: row.name, description: row.description, nodeCount: graph.nodes.length, revision: row.revision, updatedAt: row.updatedAt.toISOString() };
}

/** The workspace's workflows, most recently edited first. */
export async function listWorkflows(workspaceId: string): Promise<WorkflowSummary[]> {
  const prisma = await db();
  const rows = await prisma.workflow.findMany({ where: { workspaceId, deletedAt: null }, orderBy: { updatedAt: "desc" } });
  return rows.map(summary);
}

export async function createWorkflow(workspaceId: string, actorId: string, input: CreateWorkflowInput): Promise<WorkflowSummary> {
  const prisma = await db();
  const graph = input.graph ?? emptyGraph;
  const row = await prisma.$transaction(async (tx) => {
    const created = await tx.workflow.create({ data: { workspaceId, name: input.name, description: input.description, graph: toJson(graph), createdById: actorId } });
    await recordAudit(tx, { workspaceId, actorId, action: "workflow.create", targetType: "Workflow", targetId: created.id, after: { name: created.name } });
    return created;
  });
  return summary(row);
}

/** One workflow of the workspace; 404 for any other workspace's id. */
export async function getWorkflow(workspaceId: string, id: string) {
  const prisma = await db();
  const row = await prisma.workflow.findFirst({ where: { id, workspaceId, deletedAt: null } });
  if (!row) throw notFound("Workflow");
  return { ...summary(row), graph: workflowGraphSchema.parse(row.graph) };
}
