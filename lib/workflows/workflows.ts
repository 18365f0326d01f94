import "server-only";
import { db } from "../db/client";
import { toJson } from "../db/json";
import { recordAudit } from "../audit/record";
import { AppError, notFound } from "../errors/app-error";
import { nodeKindSpecs } from "../schemas/node-kinds";
import {
  workflowGraphSchema,
  type CreateWorkflowInput,
  type WorkflowDetail,
  type WorkflowGraph,
  type WorkflowSummary,
} from "../schemas/workflow";

export const RESTORE_DAYS = 30;
const restoreCutoff = () => new Date(Date.now() - RESTORE_DAYS * 86_400_000);

const emptyGraph: WorkflowGraph = {
  nodes: [
    {
      id: "start",
      kind: "start",
      label: "Start",
      position: { x: 0, y: 0 },
      config: structuredClone(nodeKindSpecs.start.defaultConfig),
    },
  ],
  edges: [],
};

type Row = {
  id: string;
  name: string;
  description: string;
  graph: unknown;
  revision: number;
  updatedAt: Date;
  deletedAt: Date | null;
  exposeAsTool?: boolean;
  maxRunCostUsd?: number | null;
  costCapAction?: string;
  versions?: { version: number }[];
};
type LastRun = { id: string; status: string; createdAt: Date } | undefined;
const withLatestVersion = { versions: { select: { version: true }, orderBy: { version: "desc" as const }, take: 1 } };

function summary(row: Row, lastRun?: LastRun): WorkflowSummary {
  const graph = workflowGraphSchema.parse(row.graph);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    nodeCount: graph.nodes.filter((n) => n.kind !== "note").length,
    revision: row.revision,
    publishedVersion: row.versions?.[0]?.version ?? null,
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
    exposeAsTool: row.exposeAsTool ?? false,
    maxRunCostUsd: row.maxRunCostUsd ?? null,
    costCapAction: row.costCapAction === "REVIEW" ? "REVIEW" : "FAIL",
    lastRun: lastRun ? { id: lastRun.id, status: lastRun.status, createdAt: lastRun.createdAt.toISOString() } : null,
  };
}

/** The workspace's workflows, most recently edited first; or its bin (deleted within 30 days). */
export async function listWorkflows(
  workspaceId: string,
  options: { deleted?: boolean } = {},
): Promise<WorkflowSummary[]> {
  const prisma = await db();
  const rows = await prisma.workflow.findMany({
    where: { workspaceId, deletedAt: options.deleted ? { gt: restoreCutoff() } : null },
    orderBy: { updatedAt: "desc" },
    include: withLatestVersion,
  });
  // The newest top-level run of each listed workflow, in one indexed query.
  const runs = rows.length
    ? await prisma.$queryRaw<{ id: string; workflowId: string; status: string; createdAt: Date }[]>`
        SELECT DISTINCT ON ("workflowId") "id", "workflowId", "status"::text AS "status", "createdAt"
        FROM "Run" WHERE "workflowId" = ANY(${rows.map((r) => r.id)}) AND "parentRunId" IS NULL
        ORDER BY "workflowId", "createdAt" DESC`
    : [];
  const lastRuns = new Map(runs.map((r) => [r.workflowId, r]));
  return rows.map((row) => summary(row, lastRuns.get(row.id)));
}

export async function createWorkflow(
  workspaceId: string,
  actorId: string,
  input: CreateWorkflowInput,
): Promise<WorkflowSummary> {
  const prisma = await db();
  const graph = input.graph ?? emptyGraph;
  const row = await prisma.$transaction(async (tx) => {
    const created = await tx.workflow.create({
      data: {
        workspaceId,
        name: input.name,
        description: input.description,
        graph: toJson(graph),
        createdById: actorId,
        updatedById: actorId,
      },
    });
    await recordAudit(tx, {
      workspaceId,
      actorId,
      action: "workflow.create",
      targetType: "Workflow",
      targetId: created.id,
      after: { name: created.name },
    });
    return created;
  });
  return summary(row);
}

/** One live workflow of the workspace with its draft graph; 404 for any other workspace's id. */
export async function getWorkflow(workspaceId: string, id: string): Promise<WorkflowDetail> {
  const prisma = await db();
  const row = await prisma.workflow.findFirst({
    where: { id, workspaceId, deletedAt: null },
    include: withLatestVersion,
  });
  if (!row) throw notFound("Workflow");
  return { ...summary(row), graph: workflowGraphSchema.parse(row.graph) };
}

export async function updateWorkflow(
  workspaceId: string,
  actorId: string,
  id: string,
  input: {
    name?: string;
    description?: string;
    exposeAsTool?: boolean;
    maxRunCostUsd?: number | null;
    costCapAction?: "FAIL" | "REVIEW";
  },
): Promise<WorkflowSummary> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const before = await tx.workflow.findFirst({ where: { id, workspaceId, deletedAt: null } });
    if (!before) throw notFound("Workflow");
    const after = await tx.workflow.update({
      where: { id },
      data: { ...input, updatedById: actorId },
      include: withLatestVersion,
    });
    await recordAudit(tx, {
      workspaceId,
      actorId,
      action: "workflow.update",
      targetType: "Workflow",
      targetId: id,
      before: {
        name: before.name,
        exposeAsTool: before.exposeAsTool,
        maxRunCostUsd: before.maxRunCostUsd,
        costCapAction: before.costCapAction,
      },
      after: {
        name: after.name,
        exposeAsTool: after.exposeAsTool,
        maxRunCostUsd: after.maxRunCostUsd,
        costCapAction: after.costCapAction,
      },
    });
    return summary(after);
  });
}

/** Moves a workflow to the bin; it can be restored for 30 days. */
export async function deleteWorkflow(workspaceId: string, actorId: string, id: string): Promise<void> {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const res = await tx.workflow.updateMany({
      where: { id, workspaceId, deletedAt: null },
      data: { deletedAt: new Date(), updatedById: actorId },
    });
    if (res.count === 0) throw notFound("Workflow");
    await recordAudit(tx, { workspaceId, actorId, action: "workflow.delete", targetType: "Workflow", targetId: id });
  });
}

export async function restoreWorkflow(workspaceId: string, actorId: string, id: string): Promise<WorkflowSummary> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const row = await tx.workflow.findFirst({ where: { id, workspaceId, deletedAt: { not: null } } });
    if (!row) throw notFound("Deleted workflow");
    if (row.deletedAt! < restoreCutoff())
      throw new AppError(
        "conflict",
        `This workflow was deleted more than ${RESTORE_DAYS} days ago and can no longer be restored.`,
      );
    const restored = await tx.workflow.update({
      where: { id },
      data: { deletedAt: null, updatedById: actorId },
      include: withLatestVersion,
    });
    await recordAudit(tx, { workspaceId, actorId, action: "workflow.restore", targetType: "Workflow", targetId: id });
    return summary(restored);
  });
}

/** A new draft with the same graph ("Copy of …"); versions are not copied. */
export async function duplicateWorkflow(workspaceId: string, actorId: string, id: string): Promise<WorkflowSummary> {
  const source = await getWorkflow(workspaceId, id);
  return createWorkflow(workspaceId, actorId, {
    name: `Copy of ${source.name}`.slice(0, 120),
    description: source.description,
    graph: source.graph,
  });
}
