import "server-only";
import { randomUUID } from "node:crypto";
import { database } from "../db/client";
import { AppError, notFound } from "../errors/app-error";
import type { Viewer } from "../auth/session";
import type { StartRunInput } from "../schemas/run";
import { checkedGraph } from "../workflows/graph-cache";
import { enqueueRun } from "./queue";
import { checkRunInput } from "./run-input";
import { startConfigOf } from "../schemas/node-kinds/start";
import { localRunner } from "./local-runner";
import { laterPins, pinnedChange, pinnedOutputs } from "./pinned-change";
import { pinnedStart } from "../engine/graph/pinned-steps";
import { SqlRunStore } from "./sql-run-store";
import type { RunTrigger, StandIns } from "../schemas/run";
import type { Conversation } from "../engine/ports";

/** What started a run: by default the editor (a session) or the API (a key). */
export interface RunOrigin {
  trigger: RunTrigger;
  triggerId?: string | null;
  /** A chat's run: the conversation before its message, for its agents. */
  conversation?: Conversation | null;
}

const WORKFLOW = `
SELECT CASE WHEN $3 THEN w."graph" END AS "draft", CASE WHEN $3 THEN w."pins" END AS "pins",
       (SELECT max(v."version") FROM "WorkflowVersion" v WHERE v."workflowId" = w."id") AS "version"
FROM "Workflow" w WHERE w."id" = $1 AND w."workspaceId" = $2 AND w."deletedAt" IS NULL`;

/** A new run: queued, or (`$9` a worker id) already leased to this process's worker and running. */
const CREATE = `
INSERT INTO "Run" ("id", "workspaceId", "workflowId", "version", "graph", "input", "startedById", "deadline",
                   "status", "leaseOwner", "leaseExpiresAt", "startedAt", "trigger", "triggerId", "conversation", "standIns",
                   "apiKeyId")
VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, now() + make_interval(secs => $8::float8),
        CASE WHEN $9::text IS NULL THEN 'QUEUED' ELSE 'RUNNING' END::"RunStatus", $9::text,
        CASE WHEN $9::text IS NULL THEN NULL ELSE now() + make_interval(secs => $10::float8) END,
        CASE WHEN $9::text IS NULL THEN NULL ELSE now() END, $11, $12, $13::jsonb, $14::jsonb, $15)
RETURNING (extract(epoch FROM "createdAt") * 1000)::float8 AS "createdAtMs",
          (extract(epoch FROM "deadline") * 1000)::float8 AS "deadlineMs"`;

/**
 * Starts a run of the published version (or of the draft, for a test run from the editor):
 * the graph must have no problems and the input must match the Start fields; then the run is
 * stored and executed. A published version is parsed and checked once per process
 * (lib/workflows/graph-cache). When this process's worker has room, the run is created already
 * leased to it and starts at once; otherwise it is queued for any worker.
 */
export async function startRun(
  viewer: Viewer,
  workflowId: string,
  body: StartRunInput,
  origin: RunOrigin = { trigger: viewer.apiKeyId ? "api" : "editor" },
): Promise<{ id: string }> {
  const { sql, prisma } = await database();
  const draft = body.mode === "draft";
  const [workflow] = await sql.query<{ draft: unknown; pins: unknown; version: number | null }>(
    WORKFLOW,
    [workflowId, viewer.workspace.id, draft],
    "flowdeck_start_workflow",
  );
  if (!workflow) throw notFound("Workflow");
  if (!draft && workflow.version === null)
    throw new AppError(
      "bad_request",
      "This workflow has no published version yet. Publish it, or start a test run of the draft.",
    );
  const version = draft ? null : workflow.version;
  const { graph, problems, json } = await checkedGraph(workflowId, version, async () =>
    draft
      ? workflow.draft
      : (
          await prisma.workflowVersion.findUniqueOrThrow({
            where: { workflowId_version: { workflowId, version: version! } },
          })
        ).graph,
  );
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
  const deadlineSeconds = body.deadlineSeconds ?? startConfigOf(graph).deadlineSeconds;
  const id = randomUUID();
  // A test run of the draft starts with its pinned steps done (and what only they needed left
  // out); a pin after a branch answers its step when the run gets there.
  const pins = draft ? pinnedOutputs(workflow.pins) : {};
  const pinned = draft ? pinnedStart(graph, pins, Date.now()) : [];
  const later = draft ? laterPins(graph, pins, pinned) : {};
  const standIns: StandIns | null = Object.keys(later).length ? { sealed: false, steps: later, reviews: null } : null;
  const slot = localRunner()?.reserve() ?? null;
  let created: { createdAtMs: number; deadlineMs: number | null };
  try {
    [created] = (await sql.query<typeof created>(
      CREATE,
      [
        id,
        viewer.workspace.id,
        workflowId,
        version,
        json,
        JSON.stringify(input),
        viewer.user.id,
        deadlineSeconds ?? null,
        slot?.owner ?? null,
        slot?.leaseSeconds ?? null,
        origin.trigger,
        origin.triggerId ?? null,
        origin.conversation ? JSON.stringify(origin.conversation) : null,
        standIns && JSON.stringify(standIns),
        viewer.apiKeyId ?? null,
      ],
      "flowdeck_start_create",
    )) as [typeof created];
  } catch (error) {
    slot?.release();
    throw error;
  }
  if (pinned.length)
    await new SqlRunStore(sql).save(id, pinnedChange(input, pinned)).catch((error: unknown) => {
      slot?.release();
      throw error;
    });
  if (!slot) {
    await enqueueRun(id);
    return { id };
  }
  slot.run({
    id,
    workspaceId: viewer.workspace.id,
    workflowId,
    version,
    graph,
    input,
    conversation: origin.conversation ?? null,
    standIns,
    startedById: viewer.user.id,
    parentRunId: null,
    depth: 0,
    createdAtMs: created.createdAtMs,
    deadlineMs: created.deadlineMs,
    cancelRequested: false,
    starterRole: viewer.role,
    fresh: pinned.length === 0,
    apiKeyId: viewer.apiKeyId ?? null,
    applicationKey: viewer.applicationKey ?? null,
  });
  return { id };
}
