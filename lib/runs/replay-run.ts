import "server-only";
import type { Viewer } from "../auth/session";
import { database, db } from "../db/client";
import { adjacency } from "../engine/graph/adjacency";
import { topLevel } from "../engine/graph/loop-body";
import { reusableSteps } from "../engine/graph/reusable-steps";
import { validateGraph } from "../engine/graph/validate-graph";
import { AppError, notFound } from "../errors/app-error";
import { isEnded, runInputOf, type ReplayRunInput } from "../schemas/run";
import { workflowGraphSchema, type WorkflowGraph } from "../schemas/workflow";
import { currentDraft, runFromSteps } from "./run-from-steps";
import { checkRunInput } from "./run-input";
import { SqlRunStore } from "./sql-run-store";

const badField = (path: string, message: string) =>
  new AppError("bad_request", `${path}: ${message}`, { fields: [{ path, message }] });

/** The step and every step after it (reached by an edge from it), in `graph`. */
function fromHere(graph: WorkflowGraph, nodeId: string): Set<string> {
  const { out } = adjacency(graph);
  const seen = new Set([nodeId]);
  for (const stack = [nodeId]; stack.length;)
    for (const next of out.get(stack.pop()!) ?? []) if (!seen.has(next)) stack.push((seen.add(next), next));
  return seen;
}

/**
 * "Replay from here": a new run of an ended run's workflow that starts at a chosen step. The
 * steps before it (and on branches that do not lead through it) are copied from the earlier
 * run, not executed or paid for again; the step and everything after it run, on the graph the
 * run ran or on the draft as it is now (there, a step that changed, and what follows it, runs
 * again too). What may change: the run's input, when replaying from the Start step, or what
 * the step reads: the outputs of the steps just before it. The new run names its origin.
 */
export async function replayRun(
  viewer: Viewer,
  runId: string,
  ask: Required<Pick<ReplayRunInput, "nodeId" | "on">> & Pick<ReplayRunInput, "input" | "reads">,
): Promise<{ id: string; reused: string[] }> {
  const prisma = await db();
  const old = await prisma.run.findFirst({ where: { id: runId, workspaceId: viewer.workspace.id, parentRunId: null } });
  if (!old) throw notFound("Run");
  if (!isEnded(old.status))
    throw new AppError("conflict", `Only a run that ended can be replayed; this one is ${old.status.toLowerCase()}.`);
  const ran = workflowGraphSchema.parse(old.graph);
  const graph = ask.on === "draft" ? await currentDraft(viewer.workspace.id, old.workflowId) : ran;
  const node = topLevel(graph).nodes.find((n) => n.id === ask.nodeId);
  if (!node)
    throw badField(
      "body.nodeId",
      ask.on === "draft" ? "the draft has no such step any more." : "the run's workflow has no such step.",
    );
  const problems = validateGraph(graph);
  if (problems.length) throw new AppError("bad_request", `The workflow cannot run: ${problems[0]!.message}`);
  if (ask.input !== undefined && node.kind !== "start")
    throw badField("body.input", "the run's input can be changed only when replaying from the Start step.");
  const input = ask.input !== undefined ? checkRunInput(graph, ask.input) : runInputOf(old.input);

  const finished = (await new SqlRunStore((await database()).sql).steps(runId)).filter((s) => s.status === "done");
  const after = fromHere(graph, node.id);
  const reuse = reusableSteps(ran, graph, new Set(finished.map((s) => s.nodeId).filter((id) => !after.has(id))));
  const reads = new Map(Object.entries(ask.reads ?? {}));
  const before = adjacency(graph).in.get(node.id) ?? [];
  for (const id of reads.keys())
    if (!before.includes(id) || !reuse.has(id))
      throw badField(`body.reads.${id}`, "not a step just before this one whose output the replay copies.");
  const copied = finished
    .filter((s) => reuse.has(s.nodeId))
    .map((s) => (reads.has(s.nodeId) ? { ...s, output: reads.get(s.nodeId) } : s));
  const id = await runFromSteps(viewer, old, {
    graph,
    version: ask.on === "draft" ? null : old.version,
    input,
    copied,
    edited: new Set(reads.keys()),
    started: { replayOf: runId, from: node.id },
    replay: { fromNodeId: node.id },
  });
  return { id, reused: [...reuse] };
}
