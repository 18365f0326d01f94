import "server-only";
import type { Viewer } from "../auth/session";
import { db } from "../db/client";
import { PINNABLE_KINDS } from "../engine/graph/pinned-steps";
import { AppError, notFound } from "../errors/app-error";
import { unwrap } from "./sql-run-store";
import { MAX_PIN_BYTES, storedPinsSchema, type PinInput, type PinView } from "../schemas/pins";
import { workflowGraphSchema } from "../schemas/workflow";

const badField = (path: string, message: string) =>
  new AppError("bad_request", `${path}: ${message}`, { fields: [{ path, message }] });

async function workflowOf(workspaceId: string, workflowId: string) {
  const wf = await (await db()).workflow.findFirst({ where: { id: workflowId, workspaceId, deletedAt: null } });
  if (!wf) throw notFound("Workflow");
  return wf;
}

/**
 * Pinned step outputs of a workflow's draft, by node id. A test run of the draft starts with
 * each pinned step done (its pinned output) and leaves out the steps only it needed
 * (lib/engine/graph/pinned-steps.ts); a published run never reads them.
 */
export async function listPins(workspaceId: string, workflowId: string): Promise<Record<string, PinView>> {
  const pins = storedPinsSchema.parse((await workflowOf(workspaceId, workflowId)).pins);
  const ids = [...new Set(Object.values(pins).flatMap((p) => (p.pinnedBy ? [p.pinnedBy] : [])))];
  const people = ids.length
    ? await (await db()).user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
    : [];
  const name = new Map(people.map((p) => [p.id, p.name]));
  return Object.fromEntries(
    Object.entries(pins).map(([id, p]) => [
      id,
      { ...p, pinnedByName: p.pinnedBy ? (name.get(p.pinnedBy) ?? null) : null },
    ]),
  );
}

/** Pins a step's output: typed, or taken from the workflow's last run that finished the step. */
export async function pinOutput(viewer: Viewer, workflowId: string, nodeId: string, ask: PinInput): Promise<void> {
  const wf = await workflowOf(viewer.workspace.id, workflowId);
  const node = workflowGraphSchema.parse(wf.graph).nodes.find((n) => n.id === nodeId);
  if (!node) throw badField("params.nodeId", "the draft has no such step.");
  if (node.parentId || !PINNABLE_KINDS.includes(node.kind))
    throw badField(
      "params.nodeId",
      "only an Agent, Tool, HTTP Request, Code, Transform or Sub-workflow step outside a Loop can be pinned.",
    );
  let output: unknown;
  let fromRunId: string | null = null;
  if ("fromLastRun" in ask) {
    const step = await (
      await db()
    ).runStep.findFirst({
      where: { nodeId, status: "done", run: { workflowId, workspaceId: viewer.workspace.id, parentRunId: null } },
      orderBy: { endedAt: "desc" },
      select: { output: true, runId: true },
    });
    if (!step)
      throw new AppError(
        "conflict",
        "No run has finished this step yet: run the workflow once, or type an output to pin.",
      );
    output = unwrap(step.output);
    fromRunId = step.runId;
  } else output = ask.output;
  if (JSON.stringify(output).length > MAX_PIN_BYTES)
    throw badField("body.output", `larger than the ${MAX_PIN_BYTES / 1000} kB a pinned output may be.`);
  const pin = { output, pinnedAt: new Date().toISOString(), pinnedBy: viewer.user.id, fromRunId };
  // One statement: two people pinning two steps at once both keep theirs.
  await (
    await db()
  ).$executeRaw`
    UPDATE "Workflow" SET "pins" = "pins" || jsonb_build_object(${nodeId}::text, ${JSON.stringify(pin)}::jsonb)
    WHERE "id" = ${wf.id}`;
}

/** Unpins a step: test runs run it again. */
export async function unpinOutput(viewer: Viewer, workflowId: string, nodeId: string): Promise<void> {
  const wf = await workflowOf(viewer.workspace.id, workflowId);
  await (
    await db()
  ).$executeRaw`UPDATE "Workflow" SET "pins" = "pins" - ${nodeId}::text WHERE "id" = ${wf.id}`;
}
