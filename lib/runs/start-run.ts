import "server-only";
import { db } from "../db/client";
import { toJson } from "../db/json";
import { validateGraph } from "../engine/graph/validate-graph";
import { AppError, notFound } from "../errors/app-error";
import type { Viewer } from "../auth/session";
import type { StartRunInput } from "../schemas/run";
import { workflowGraphSchema, type WorkflowGraph } from "../schemas/workflow";
import { enqueueRun } from "./queue";
import { checkRunInput } from "./run-input";
import { startConfigSchema } from "../schemas/node-kinds/start";

/**
 * Starts a run of the published version (or of the draft, for a test run from the editor):
 * the graph must have no problems and the input must match the Start fields; then the run is
 * stored and executed.
 */
export async function startRun(viewer: Viewer, workflowId: string, body: StartRunInput): Promise<{ id: string }> {
  const prisma = await db();
  const workflow = await prisma.workflow.findFirst({
    where: { id: workflowId, workspaceId: viewer.workspace.id, deletedAt: null },
    include: { versions: { orderBy: { version: "desc" }, take: 1 } },
  });
  if (!workflow) throw notFound("Workflow");
  let graph: WorkflowGraph;
  let version: number | null = null;
  if (body.mode === "draft") graph = workflowGraphSchema.parse(workflow.graph);
  else {
    const latest = workflow.versions[0];
    if (!latest)
      throw new AppError(
        "bad_request",
        "This workflow has no published version yet. Publish it, or start a test run of the draft.",
      );
    graph = workflowGraphSchema.parse(latest.graph);
    version = latest.version;
  }
  const problems = validateGraph(graph);
  if (problems.length) {
    throw new AppError(
      "bad_request",
      `The workflow cannot run: ${problems[0]!.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ""}`,
      {
        fields: problems.map((p) => ({
          path: ["graph", p.nodeId, p.field].filter(Boolean).join("."),
          message: p.message,
        })),
      },
    );
  }
  const input = checkRunInput(graph, body.input);
  const deadlineSeconds =
    body.deadlineSeconds ??
    startConfigSchema.parse(graph.nodes.find((n) => n.kind === "start")?.config ?? {}).deadlineSeconds;
  const run = await prisma.run.create({
    data: {
      workspaceId: viewer.workspace.id,
      workflowId,
      version,
      graph: toJson(graph),
      input: toJson(input),
      startedById: viewer.user.id,
      deadline: deadlineSeconds ? new Date(Date.now() + deadlineSeconds * 1000) : null,
    },
  });
  await enqueueRun(run.id);
  return { id: run.id };
}
