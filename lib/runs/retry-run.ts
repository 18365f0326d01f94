import "server-only";
import { database, db } from "../db/client";
import type { Viewer } from "../auth/session";
import { reusableSteps } from "../engine/graph/reusable-steps";
import { validateGraph } from "../engine/graph/validate-graph";
import { AppError, notFound } from "../errors/app-error";
import { workflowGraphSchema } from "../schemas/workflow";
import { runInputOf } from "../schemas/run";
import { currentDraft, runFromSteps } from "./run-from-steps";
import { SqlRunStore } from "./sql-run-store";

/**
 * Retry from the failed step: a new run with the same input that starts from the earlier
 * run's finished steps (copied, not run again, not paid for twice). A test run retries with
 * the draft as it is now, so a person can fix the failing step first; a step that changed,
 * and everything after it, runs again.
 */
export async function retryRun(viewer: Viewer, runId: string): Promise<{ id: string; reused: string[] }> {
  const prisma = await db();
  const old = await prisma.run.findFirst({ where: { id: runId, workspaceId: viewer.workspace.id, parentRunId: null } });
  if (!old) throw notFound("Run");
  if (old.status !== "FAILED" && old.status !== "CANCELLED")
    throw new AppError(
      "conflict",
      `Only a failed or cancelled run can be retried; this one is ${old.status.toLowerCase()}.`,
    );
  const oldGraph = workflowGraphSchema.parse(old.graph);
  let graph = oldGraph;
  if (old.version === null) graph = await currentDraft(viewer.workspace.id, old.workflowId);
  const problems = validateGraph(graph);
  if (problems.length) throw new AppError("bad_request", `The workflow cannot run: ${problems[0]!.message}`);

  const store = new SqlRunStore((await database()).sql);
  const steps = (await store.steps(runId)).filter((s) => s.status === "done");
  const reuse = reusableSteps(oldGraph, graph, new Set(steps.map((s) => s.nodeId)));
  const id = await runFromSteps(viewer, old, {
    graph,
    version: old.version,
    input: runInputOf(old.input),
    copied: steps.filter((s) => reuse.has(s.nodeId)),
    started: { retryOf: runId },
  });
  return { id, reused: [...reuse] };
}
