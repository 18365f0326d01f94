import "server-only";
import { runOutputOf, SEALED_REJECTS, type StandIns } from "../schemas/run";
import type { PrismaClient } from "../db/generated/client";
import { toJson } from "../db/json";
import { isUniqueViolation } from "../db/unique-violation";
import { RunStop, type ChildRunResult, type SubWorkflowRunner } from "../engine/ports";
import { workflowGraphSchema, type WorkflowGraph } from "../schemas/workflow";
import { checkRunInput } from "../runs/run-input";

const failed = (runId: string, error: string): ChildRunResult => ({ status: "failed", error, runId });

/**
 * Child runs for Sub-workflow steps: the latest published version of a workflow of the same
 * workspace, never one already running higher up the chain (a cycle). The child runs right
 * away; if it pauses, the parent's step pauses, and the child's end resumes the parent.
 */
export function subWorkflowRunner(
  prisma: PrismaClient,
  parent: {
    workspaceId: string;
    startedById: string | null;
    workflowId: string;
    version: number | null;
    /** A sealed parent's (an evaluation's case): its children are sealed too, and decide their reviews alike. */
    standIns?: StandIns | null;
  },
  execute: (runId: string) => Promise<unknown>,
  cancel: (runId: string) => void,
): SubWorkflowRunner {
  async function result(runId: string): Promise<ChildRunResult> {
    const run = await prisma.run.findUnique({ where: { id: runId } });
    if (!run) return failed(runId, "The child run no longer exists.");
    if (run.status === "COMPLETED") return { status: "completed", output: runOutputOf(run.output), runId };
    if (run.status === "FAILED" || run.status === "CANCELLED")
      return failed(runId, run.error ?? run.status.toLowerCase());
    return { status: "waiting", runId };
  }

  async function ancestors(runId: string): Promise<string[]> {
    const chain: string[] = [];
    for (let id: string | null = runId; id && chain.length < 20;) {
      const r: { workflowId: string; parentRunId: string | null } | null = await prisma.run.findUnique({
        where: { id },
        select: { workflowId: true, parentRunId: true },
      });
      if (!r) break;
      chain.push(r.workflowId);
      id = r.parentRunId;
    }
    return chain;
  }

  // A child of a sealed run never reaches outside either (it answers no step: its parent's answers are for the parent's steps).
  const sealed: StandIns | null = parent.standIns?.sealed
    ? { sealed: true, steps: {}, reviews: parent.standIns.reviews ?? SEALED_REJECTS }
    : null;

  return {
    result,
    async run({ workflowId, body, input, parentRunId, nodeId, depth, signal, item }) {
      const runChild = async (childId: string) => {
        // A cancel or a deadline of the parent cancels the child; a worker letting go of the
        // parent (shutdown, lease or database lost) does not: the child is handed back as well.
        const stop = () => {
          if (!(signal.reason instanceof RunStop && signal.reason.kind === "interrupted")) cancel(childId);
        };
        signal.addEventListener("abort", stop, { once: true });
        try {
          await execute(childId);
        } finally {
          signal.removeEventListener("abort", stop);
        }
        return result(childId);
      };
      // A loop's item that has a child already: its state, continued if it was left queued or running.
      const existing = () =>
        prisma.run.findFirst({
          where: { parentRunId, parentNodeId: nodeId, parentItem: item },
          select: { id: true, status: true },
        });
      const create = async (child: {
        workflowId: string;
        version: number | null;
        graph: WorkflowGraph;
        input: Record<string, unknown>;
      }): Promise<ChildRunResult> => {
        let created: { id: string };
        // A child run counts as started by what started its parent (a webhook's run's children are the webhook's).
        const origin = await prisma.run.findUnique({
          where: { id: parentRunId },
          select: { trigger: true, apiKeyId: true },
        });
        try {
          created = await prisma.run.create({
            data: {
              workspaceId: parent.workspaceId,
              workflowId: child.workflowId,
              version: child.version,
              graph: toJson(child.graph),
              input: toJson(child.input),
              startedById: parent.startedById,
              parentRunId,
              parentNodeId: nodeId,
              parentItem: item,
              depth,
              trigger: origin?.trigger ?? "subworkflow",
              // ... and by the same API key: an application key's limits hold for its children's calls.
              apiKeyId: origin?.apiKeyId ?? null,
              ...(sealed && { standIns: toJson(sealed) }),
            },
            select: { id: true },
          });
        } catch (error) {
          // Two takers of one resumed loop raced for the item: the other's child is the one.
          const found = item !== undefined && isUniqueViolation(error) ? await existing() : null;
          if (!found) throw error;
          return result(found.id);
        }
        return runChild(created.id);
      };
      if (item !== undefined) {
        const found = await existing();
        if (found)
          return found.status === "QUEUED" || found.status === "RUNNING" ? runChild(found.id) : result(found.id);
      }
      // A Loop's body drawn inside it: a run of the parent's workflow, with the body as its graph.
      if (body) {
        let checked: Record<string, unknown>;
        try {
          checked = checkRunInput(body, input);
        } catch (error) {
          return failed("", (error as Error).message.replace(/^body\.input\./, ""));
        }
        return create({ workflowId: parent.workflowId, version: parent.version, graph: body, input: checked });
      }
      const workflow = await prisma.workflow.findFirst({
        where: { id: workflowId, workspaceId: parent.workspaceId, deletedAt: null },
        include: { versions: { orderBy: { version: "desc" }, take: 1 } },
      });
      const version = workflow?.versions[0];
      if (!workflow || !version)
        return failed("", `Workflow ${workflowId} is not a published workflow of this workspace.`);
      if ((await ancestors(parentRunId)).includes(workflowId))
        return failed(
          "",
          `“${workflow.name}” is already running higher up in this run: a workflow cannot call itself.`,
        );
      const graph = workflowGraphSchema.parse(version.graph);
      let checked: Record<string, unknown>;
      try {
        checked = checkRunInput(graph, input);
      } catch (error) {
        return failed("", `Input for “${workflow.name}”: ${(error as Error).message.replace(/^body\.input\./, "")}`);
      }
      return create({ workflowId, version: version.version, graph, input: checked });
    },
  };
}
