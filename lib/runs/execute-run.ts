import "server-only";
import { db } from "../db/client";
import { toJson } from "../db/json";
import type { EnginePorts, RunSpec } from "../engine/ports";
import { runWorkflow, type RunOutcome } from "../engine/run/run-workflow";
import { modelGateway } from "../gateway/gateway";
import { logger } from "../log/logger";
import { workflowGraphSchema } from "../schemas/workflow";
import { publishRunEvent } from "./live-events";
import { PrismaRunStore } from "./prisma-run-store";
import { prismaReviewQueue } from "./review-queue";
import { subWorkflowRunner } from "./sub-workflow-runner";

/**
 * Runs (or resumes) one run in this process. One execution per run at a time; a second call
 * while it runs is a no-op. Cancel goes through the AbortController kept here.
 * (The pg-boss queue and worker processes replace this in-process path; see lib/runs/README.)
 */
const holder = globalThis as unknown as { __flowdeckActiveRuns?: Map<string, AbortController> };
const active = () => (holder.__flowdeckActiveRuns ??= new Map());

export function cancelActiveRun(runId: string): boolean {
  const controller = active().get(runId);
  controller?.abort(new Error("Cancelled by a person"));
  return !!controller;
}

export async function executeRun(runId: string): Promise<RunOutcome | null> {
  if (active().has(runId)) return null;
  const controller = new AbortController();
  active().set(runId, controller);
  const prisma = await db();
  const log = logger().child({ runId });
  try {
    const run = await prisma.run.findUnique({ where: { id: runId } });
    if (!run || ["COMPLETED", "FAILED", "CANCELLED"].includes(run.status)) return null;
    await prisma.run.update({ where: { id: runId }, data: { status: "RUNNING", startedAt: run.startedAt ?? new Date() } });
    const store = new PrismaRunStore(prisma, (id, e) => publishRunEvent(id, { seq: e.seq, type: e.type, nodeId: e.nodeId, payload: e.payload }));
    const ports: EnginePorts = {
      store,
      models: modelGateway(),
      tools: {
        async call({ tool }) {
          throw new Error(`Tool “${tool}” cannot be called: MCP servers and tool permissions are not built yet.`);
        },
      },
      reviews: prismaReviewQueue(prisma, run.workspaceId),
      subWorkflows: subWorkflowRunner(prisma, run, executeRun, cancelActiveRun),
      clock: { now: () => Date.now() },
    };
    const spec: RunSpec = { runId, graph: workflowGraphSchema.parse(run.graph), input: (run.input ?? {}) as Record<string, unknown>, depth: run.depth };
    const outcome = await runWorkflow(spec, ports, controller.signal, (nodeId, text) => publishRunEvent(runId, { type: "step.delta", nodeId, payload: { text } }));
    const status = { completed: "COMPLETED", waiting: "WAITING", failed: "FAILED", cancelled: "CANCELLED" } as const;
    await prisma.run.update({
      where: { id: runId },
      data: {
        status: status[outcome.status],
        output: outcome.status === "completed" ? toJson({ value: outcome.output }) : undefined,
        error: outcome.status === "failed" ? outcome.error : outcome.status === "cancelled" ? "Cancelled" : null,
        endedAt: outcome.status === "waiting" ? null : new Date(),
      },
    });
    log.info({ status: outcome.status }, "run settled");
    // A child that finished after a pause hands the parent back to work (a no-op while the
    // parent is itself running and waiting on this call).
    if (run.parentRunId && outcome.status !== "waiting") void executeRun(run.parentRunId);
    return outcome;
  } catch (error) {
    log.error({ err: error }, "run crashed");
    await prisma.run.update({ where: { id: runId }, data: { status: "FAILED", error: error instanceof Error ? error.message : String(error), endedAt: new Date() } }).catch(() => undefined);
    return { status: "failed", error: String(error) };
  } finally {
    active().delete(runId);
  }
}

/** After a restart: pick up runs that were queued or running when the process stopped. */
export async function resumeInterruptedRuns(): Promise<number> {
  const prisma = await db();
  const runs = await prisma.run.findMany({ where: { status: { in: ["QUEUED", "RUNNING"] } }, select: { id: true } });
  for (const r of runs) void executeRun(r.id);
  return runs.length;
}
