import "server-only";
import { runInputOf, runOutputOf } from "../schemas/run";
import { database, db } from "../db/client";
import { notFound } from "../errors/app-error";
import {
  runTriggerOf,
  type RunStatus,
  type RunSummary,
  type RunTrigger,
  type RunView,
  type SpanView,
  type StepView,
} from "../schemas/run";
import { flushWriters } from "../platform/buffered-writer";
import { adjacency } from "../engine/graph/adjacency";
import { workflowGraphSchema } from "../schemas/workflow";
import { readSteps } from "./sql-run-store";
import { processSingleton } from "../process/singleton";

/** A run of the workspace with its steps (latest attempt first per node) and reviews. */
export async function getRun(workspaceId: string, runId: string): Promise<RunView> {
  const prisma = await db();
  const run = await prisma.run.findFirst({ where: { id: runId, workspaceId } });
  if (!run) throw notFound("Run");
  const [steps, copies] = await Promise.all([
    readSteps((await database()).sql, runId),
    // Steps a retry or replay copied from its origin: their events say so.
    prisma.runEvent.findMany({
      where: { runId, type: "step.completed", payload: { path: ["reused"], equals: true } },
      select: { nodeId: true, payload: true },
    }),
  ]);
  const copied = new Map(
    copies.map((e) => {
      const said = e.payload as { edited?: boolean; pinned?: boolean; recorded?: boolean };
      const how = said.pinned ? "pinned" : said.recorded ? "recorded" : said.edited ? "edited" : "as-is";
      return [e.nodeId, how as NonNullable<StepView["copied"]>];
    }),
  );
  // Reviews of this run and of its child runs (shown under the Sub-workflow step that waits on them).
  const stepOf = new Map<string, string | null>([[runId, null]]);
  for (let frontier = [runId], level = 0; frontier.length && level < 5; level += 1) {
    const children = await prisma.run.findMany({
      where: { parentRunId: { in: frontier } },
      select: { id: true, parentRunId: true, parentNodeId: true },
    });
    for (const c of children) stepOf.set(c.id, stepOf.get(c.parentRunId!) ?? c.parentNodeId);
    frontier = children.map((c) => c.id);
  }
  const reviews = (
    await prisma.review.findMany({
      where: { runId: { in: [...stepOf.keys()] } },
      select: { id: true, runId: true, nodeId: true, status: true },
      orderBy: { createdAt: "asc" },
    })
  ).map((r) => ({ id: r.id, nodeId: stepOf.get(r.runId) ?? r.nodeId, status: r.status }));
  const workflow = await prisma.workflow.findUnique({ where: { id: run.workflowId }, select: { name: true } });
  const parent = run.parentRunId ? await parentOf(workspaceId, run) : null;
  // Model and tool calls are written off the hot path: write what is buffered, so none is missing.
  await flushWriters();
  const [calls, tools] = await Promise.all([
    prisma.usageRecord.findMany({ where: { runId }, orderBy: { at: "asc" }, take: 500 }),
    prisma.toolCallAudit.findMany({ where: { runId }, orderBy: { at: "asc" }, take: 500 }),
  ]);
  const spans: SpanView[] = [
    ...calls.map((c) => ({
      nodeId: c.nodeId ?? "",
      kind: "model" as const,
      name: c.alias,
      detail: c.modelId,
      startedAt: c.at.getTime() - c.latencyMs,
      durationMs: c.latencyMs,
      status: c.status,
      tokens: c.inputTokens + c.outputTokens,
      costUsd: c.costUsd,
      error: c.error,
    })),
    ...tools.map((t) => ({
      nodeId: t.nodeId ?? "",
      kind: "tool" as const,
      name: `${t.serverName}__${t.toolName}`,
      detail: t.approver ? `approved by ${t.approver}` : null,
      startedAt: t.at.getTime() - t.latencyMs,
      durationMs: t.latencyMs,
      status: t.outcome,
      tokens: 0,
      costUsd: 0,
      error: t.error,
    })),
  ].sort((a, b) => a.startedAt - b.startedAt);
  const graph = workflowGraphSchema.safeParse(run.graph);
  return {
    id: run.id,
    workflowId: run.workflowId,
    workflowName: workflow?.name ?? "Deleted workflow",
    labels: Object.fromEntries((graph.success ? graph.data.nodes : []).map((n) => [n.id, n.label || n.id])),
    inputs: graph.success ? Object.fromEntries(adjacency(graph.data).in) : {},
    parentRunId: run.parentRunId,
    parent,
    replayOf:
      run.replayOfId && run.replayFromNodeId ? { runId: run.replayOfId, fromNodeId: run.replayFromNodeId } : null,
    version: run.version,
    trigger: runTriggerOf(run.trigger),
    status: run.status,
    input: runInputOf(run.input),
    output: runOutputOf(run.output),
    error: run.error,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    endedAt: run.endedAt?.toISOString() ?? null,
    steps: (steps as StepView[]).map((s) => (copied.has(s.nodeId) ? { ...s, copied: copied.get(s.nodeId) } : s)),
    reviews,
    spans,
  };
}

/**
 * The step of a parent run that started children (its label, whether a Loop), by run and step:
 * a run's graph never changes, and a page following a child run asks again every few seconds.
 */
const parentSteps = () =>
  processSingleton("parent-steps", () => new Map<string, { workflowId: string; label: string; loop: boolean }>());

/** The run that started a child run, named as its page says it: the step that started it, and the item of a Loop's. */
async function parentOf(
  workspaceId: string,
  child: { parentRunId: string | null; parentNodeId: string | null; parentItem: number | null },
): Promise<RunView["parent"]> {
  const prisma = await db();
  const key = `${workspaceId}:${child.parentRunId}:${child.parentNodeId}`;
  let step = parentSteps().get(key);
  if (!step) {
    const run = await prisma.run.findFirst({
      where: { id: child.parentRunId!, workspaceId },
      select: { workflowId: true, graph: true },
    });
    if (!run) return null;
    const graph = workflowGraphSchema.safeParse(run.graph);
    const node = graph.success ? graph.data.nodes.find((n) => n.id === child.parentNodeId) : undefined;
    step = {
      workflowId: run.workflowId,
      label: node?.label || child.parentNodeId || "a step",
      loop: node?.kind === "loop",
    };
    const known = parentSteps();
    if (known.size >= 1_000) known.delete(known.keys().next().value!);
    known.set(key, step);
  }
  // The workflow's name as it is now (it may have been renamed since).
  const workflow = await prisma.workflow.findUnique({ where: { id: step.workflowId }, select: { name: true } });
  return {
    runId: child.parentRunId!,
    workflowName: workflow?.name ?? "Deleted workflow",
    stepLabel: step.label,
    loop: step.loop,
    item: child.parentItem,
  };
}

/** A workflow's runs, newest first. */
export async function listRuns(
  workspaceId: string,
  workflowId: string,
  options: { take?: number; trigger?: RunTrigger } = {},
): Promise<RunSummary[]> {
  const prisma = await db();
  const rows = await prisma.run.findMany({
    where: { workspaceId, workflowId, parentRunId: null, ...(options.trigger ? { trigger: options.trigger } : {}) },
    orderBy: { createdAt: "desc" },
    take: options.take ?? 50,
  });
  // No runs: a workflow of this workspace with none yet, or none here at all (another
  // workspace's, or made up), which is a 404 as for every other object.
  if (
    !rows.length &&
    !(await prisma.workflow.findFirst({ where: { id: workflowId, workspaceId }, select: { id: true } }))
  )
    throw notFound("Workflow");
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    status: r.status,
    trigger: runTriggerOf(r.trigger),
    createdAt: r.createdAt.toISOString(),
    endedAt: r.endedAt?.toISOString() ?? null,
    error: r.error,
  }));
}

/** Stored events after `afterSeq`, for the SSE replay. */
const EVENTS_AFTER = `
SELECT r."status", coalesce((
  SELECT json_agg(json_build_object('seq', e."seq", 'type', e."type", 'nodeId', e."nodeId", 'payload', e."payload") ORDER BY e."seq")
  FROM "RunEvent" e WHERE e."runId" = r."id" AND e."seq" > $3), '[]') AS "events"
FROM "Run" r WHERE r."id" = $1 AND r."workspaceId" = $2`;

/** A run's status and its events after `afterSeq`, in one statement (the event stream's replay). */
export async function runEventsAfter(
  workspaceId: string,
  runId: string,
  afterSeq: number,
): Promise<{ status: RunStatus; events: { seq: number; type: string; nodeId: string | null; payload: unknown }[] }> {
  const [row] = await (
    await database()
  ).sql.query<{ status: RunStatus; events: never[] }>(
    EVENTS_AFTER,
    [runId, workspaceId, afterSeq],
    "flowdeck_run_events_after",
  );
  if (!row) throw notFound("Run");
  return row;
}
