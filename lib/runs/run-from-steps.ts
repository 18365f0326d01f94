import "server-only";
import type { Viewer } from "../auth/session";
import { database, db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { toJson } from "../db/json";
import type { RunChange, StepRecord } from "../engine/ports";
import { standInsOf, type RunTrigger, type StandIns } from "../schemas/run";
import { notFound } from "../errors/app-error";
import { workflowGraphSchema, type WorkflowGraph } from "../schemas/workflow";
import { enqueueRun } from "./queue";
import { SqlRunStore } from "./sql-run-store";

/** The run a retry or replay starts from: its workspace, workflow and conversation carry over. */
export interface OriginRun {
  id: string;
  workspaceId: string;
  workflowId: string;
  conversation: Prisma.JsonValue;
  /** What the origin answered without running (`Run.standIns`): a retried evaluation case still never reaches outside. */
  standIns: Prisma.JsonValue;
}

/**
 * A new run that starts with some of an earlier run's finished steps already done: they are
 * copied (their output and branch), not run again and not paid for again (a copy carries no
 * usage), and the engine runs the rest. Retry and "Replay from here" both start runs this way.
 * `edited` names copied steps whose output the person changed: their events say so.
 */
export async function runFromSteps(
  viewer: Viewer | { userId: string; trigger: RunTrigger },
  origin: OriginRun,
  run: {
    graph: WorkflowGraph;
    version: number | null;
    input: Record<string, unknown>;
    copied: StepRecord[];
    edited?: Set<string>;
    started: Record<string, unknown>;
    replay?: { fromNodeId: string };
    /** The first write as it is, instead of one made from `copied` (a run that starts from pins). */
    first?: Required<RunChange>;
    /** Steps answered without running them, and reviews decided by the run; else the origin's. */
    standIns?: StandIns;
  },
): Promise<string> {
  const who =
    "userId" in viewer
      ? viewer
      : { userId: viewer.user.id, trigger: (viewer.apiKeyId ? "api" : "editor") as RunTrigger };
  const prisma = await db();
  const carried = standInsOf(origin.standIns);
  const standIns = run.standIns ?? (carried?.sealed ? carried : null);
  const made = await prisma.run.create({
    data: {
      workspaceId: origin.workspaceId,
      workflowId: origin.workflowId,
      version: run.version,
      graph: toJson(run.graph),
      input: toJson(run.input),
      // A chat's turn run again keeps the conversation it was given.
      ...(origin.conversation !== null ? { conversation: origin.conversation as Prisma.InputJsonValue } : {}),
      // An evaluation's case run again is still sealed: its stand-ins carry over. (A test run's
      // pins after a branch do not: a retry or replay runs those steps.)
      ...(standIns && { standIns: standIns as Prisma.InputJsonValue }),
      ...(run.replay ? { replayOfId: origin.id, replayFromNodeId: run.replay.fromNodeId } : {}),
      startedById: who.userId,
      trigger: who.trigger,
      // Run again with an API key: that key's limits hold for the new run's calls.
      apiKeyId: "user" in viewer ? (viewer.apiKeyId ?? null) : null,
    },
  });
  const copied = run.copied.map(({ usage: _paidByTheOrigin, ...step }) => step);
  // Nothing copied: the engine starts the run as any other (one "run.started").
  if (copied.length || run.first)
    await new SqlRunStore((await database()).sql).save(
      made.id,
      run.first ?? {
        steps: copied,
        events: [
          { type: "run.started", payload: { input: run.input, ...run.started } },
          ...copied.map((step) => ({
            type: "step.completed" as const,
            nodeId: step.nodeId,
            payload: {
              attempt: step.attempt,
              output: step.output,
              handle: step.handle,
              reused: true,
              ...(run.edited?.has(step.nodeId) && { edited: true }),
            },
          })),
        ],
      },
    );
  await enqueueRun(made.id);
  return made.id;
}

/** The workflow's draft as it is now (a test run retried or replayed "on the current draft"). */
export async function currentDraft(workspaceId: string, workflowId: string): Promise<WorkflowGraph> {
  const wf = await (await db()).workflow.findFirst({ where: { id: workflowId, workspaceId, deletedAt: null } });
  if (!wf) throw notFound("Workflow");
  return workflowGraphSchema.parse(wf.graph);
}
