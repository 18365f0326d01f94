import "server-only";
import { db } from "../db/client";
import { toJson } from "../db/json";
import { recordAudit } from "../audit/record";
import { validateGraph } from "../engine/graph/validate-graph";
import { AppError, notFound } from "../errors/app-error";
import { workflowGraphSchema, type WorkflowGraph, type WorkflowVersionSummary } from "../schemas/workflow";

/**
 * Publishing freezes the draft into an immutable, numbered version. It is refused while the
 * graph has problems (the same check the editor shows), or when the draft changed since the
 * editor's revision, so a person publishes exactly what they see.
 */
export async function publishWorkflow(
  workspaceId: string,
  actorId: string,
  id: string,
  /** `gateOverride`: an admin's reason for publishing although the evaluation gate did not pass (audited as such). */
  input: { note: string; revision: number; gateOverride?: string },
): Promise<WorkflowVersionSummary> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const wf = await tx.workflow.findFirst({ where: { id, workspaceId, deletedAt: null } });
    if (!wf) throw notFound("Workflow");
    if (wf.revision !== input.revision)
      throw new AppError("conflict", "The draft changed since you opened it. Reload, check it, and publish again.");
    const graph = workflowGraphSchema.parse(wf.graph);
    const problems = validateGraph(graph);
    if (problems.length) {
      throw new AppError(
        "bad_request",
        `Fix ${problems.length} problem${problems.length === 1 ? "" : "s"} before publishing. First: ${problems[0]!.message}`,
        {
          fields: problems.map((p) => ({
            path: ["graph", p.nodeId, p.field].filter(Boolean).join("."),
            message: p.message,
          })),
        },
      );
    }
    const last = await tx.workflowVersion.findFirst({ where: { workflowId: id }, orderBy: { version: "desc" } });
    const version = await tx.workflowVersion.create({
      data: {
        workflowId: id,
        version: (last?.version ?? 0) + 1,
        graph: toJson(graph),
        note: input.note,
        authorId: actorId,
        gateOverride: input.gateOverride ?? null,
      },
    });
    await recordAudit(tx, {
      workspaceId,
      actorId,
      action: input.gateOverride ? "workflow.publish-over-gate" : "workflow.publish",
      targetType: "Workflow",
      targetId: id,
      after: {
        version: version.version,
        note: input.note,
        ...(input.gateOverride && { gateOverrideReason: input.gateOverride }),
      },
    });
    const author = await tx.user.findUnique({ where: { id: actorId }, select: { name: true } });
    return {
      version: version.version,
      note: version.note,
      authorName: author?.name ?? null,
      createdAt: version.createdAt.toISOString(),
    };
  });
}

export async function listVersions(workspaceId: string, id: string): Promise<WorkflowVersionSummary[]> {
  const prisma = await db();
  const wf = await prisma.workflow.findFirst({ where: { id, workspaceId, deletedAt: null }, select: { id: true } });
  if (!wf) throw notFound("Workflow");
  const rows = await prisma.workflowVersion.findMany({ where: { workflowId: id }, orderBy: { version: "desc" } });
  const authors = await prisma.user.findMany({
    where: { id: { in: rows.map((r) => r.authorId).filter((a): a is string => !!a) } },
    select: { id: true, name: true },
  });
  const names = new Map(authors.map((a) => [a.id, a.name]));
  return rows.map((r) => ({
    version: r.version,
    note: r.note,
    gateOverride: r.gateOverride,
    authorName: (r.authorId && names.get(r.authorId)) || null,
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function getVersion(
  workspaceId: string,
  id: string,
  version: number,
): Promise<WorkflowVersionSummary & { graph: WorkflowGraph }> {
  const prisma = await db();
  const row = await prisma.workflowVersion.findFirst({
    where: { workflowId: id, version, workflow: { workspaceId, deletedAt: null } },
  });
  if (!row) throw notFound(`Version ${version}`);
  const author = row.authorId
    ? await prisma.user.findUnique({ where: { id: row.authorId }, select: { name: true } })
    : null;
  return {
    version: row.version,
    note: row.note,
    authorName: author?.name ?? null,
    createdAt: row.createdAt.toISOString(),
    graph: workflowGraphSchema.parse(row.graph),
  };
}
