import "server-only";
import { db } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import { toJson } from "../db/json";
import { RunStop, type EnginePorts, type RunSpec } from "../engine/ports";
import { runWorkflow, type RunOutcome } from "../engine/run/run-workflow";
import { modelGateway } from "../gateway/gateway";
import { agentToolSet } from "../mcp/agent-tools";
import { invokeTool, needsApproval } from "../mcp/tools";
import { logger } from "../log/logger";
import { workflowGraphSchema } from "../schemas/workflow";
import { claimRun, leaseSeconds, releaseLease, renewLease, workerId } from "./lease";
import { publishRunEvent } from "./live-events";
import { PrismaRunStore } from "./prisma-run-store";
import { reviewsChanged } from "../review/live";
import { runEnded, runEvent as traceRunEvent, runStarted } from "../observability/tracing";
import { enqueueRun } from "./queue";
import { prismaReviewQueue } from "./review-queue";
import { rollUpRun } from "./rollup";
import { subWorkflowRunner } from "./sub-workflow-runner";

/**
 * Executes (or resumes) one run in this process, under its lease: nobody else executes it
 * meanwhile, and if this process dies the lease runs out and another worker continues from
 * the persisted steps. Cancel and the deadline go through one AbortController.
 *
 * Returns "busy" when another live worker holds the run, null when there is nothing to do
 * (ended, or already executing here).
 */
const holder = globalThis as unknown as { __flowdeckActiveRuns?: Map<string, AbortController> };
const active = () => (holder.__flowdeckActiveRuns ??= new Map());

export function cancelActiveRun(runId: string): boolean {
  const controller = active().get(runId);
  controller?.abort(new Error("Cancelled by a person"));
  return !!controller;
}

/** Stops every run executing here with `reason` (a worker shutting down). */
export function abortActiveRuns(reason: RunStop): void {
  for (const controller of active().values()) controller.abort(reason);
}

const ENDED = ["COMPLETED", "FAILED", "CANCELLED"];

/**
 * Marks a run cancelled when no worker executes it (queued, waiting for a review, or its
 * worker died); false when a worker holds it (that worker stops it and settles it).
 */
export async function settleCancelled(prisma: PrismaClient, runId: string, options: { onlyIfIdle: boolean }): Promise<boolean> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    UPDATE "Run" SET "status" = 'CANCELLED', "error" = 'Cancelled', "endedAt" = now()
    WHERE "id" = ${runId} AND "status" IN ('QUEUED', 'RUNNING', 'WAITING')
      AND (${!options.onlyIfIdle} OR "leaseExpiresAt" IS NULL OR "leaseExpiresAt" < now())
    RETURNING "id"`;
  if (rows.length === 0) return false;
  await rollUpRun(prisma, runId);
  const closed = await prisma.review.updateMany({ where: { runId, status: "PENDING" }, data: { status: "DECIDED", decision: { outcome: "cancelled" }, decidedAt: new Date() } });
  if (closed.count) {
    const run = await prisma.run.findUnique({ where: { id: runId }, select: { workspaceId: true } });
    if (run) reviewsChanged(run.workspaceId);
  }
  await new PrismaRunStore(prisma, (id, e) => publishRunEvent(id, e)).appendEvent(runId, { type: "run.cancelled" });
  return true;
}

export async function executeRun(runId: string): Promise<RunOutcome | "busy" | null> {
  if (active().has(runId)) return null;
  const prisma = await db();
  if (!(await claimRun(prisma, runId))) {
    const run = await prisma.run.findUnique({ where: { id: runId }, select: { status: true } });
    return run && !ENDED.includes(run.status) ? "busy" : null;
  }
  const controller = new AbortController();
  active().set(runId, controller);
  const log = logger().child({ runId, worker: workerId() });
  const heartbeat = setInterval(() => {
    renewLease(prisma, runId)
      .then((lease) => {
        if (!lease) controller.abort(new RunStop("Another worker took this run over.", "interrupted"));
        else if (lease.cancelRequested) controller.abort(new Error("Cancelled by a person"));
      })
      .catch((error) => log.warn({ err: error }, "could not renew the run's lease"));
  }, (leaseSeconds() * 1000) / 3);
  let deadlineTimer: NodeJS.Timeout | undefined;
  try {
    const run = await prisma.run.findUnique({ where: { id: runId } });
    if (!run || ENDED.includes(run.status)) return null;
    if (run.cancelRequestedAt) {
      await settleCancelled(prisma, runId, { onlyIfIdle: false });
      return { status: "cancelled" };
    }
    await prisma.run.update({ where: { id: runId }, data: { status: "RUNNING", startedAt: run.startedAt ?? new Date() } });
    if (run.deadline) {
      const seconds = Math.round((run.deadline.getTime() - run.createdAt.getTime()) / 1000);
      const stop = () => controller.abort(new RunStop(`The run passed its deadline of ${seconds} s.`, "deadline"));
      const left = run.deadline.getTime() - Date.now();
      if (left <= 0) stop();
      else deadlineTimer = setTimeout(stop, left);
    }
    // Model calls are made as the person who started the run, with their role now.
    const starter = run.startedById ? await prisma.membership.findUnique({ where: { userId_workspaceId: { userId: run.startedById, workspaceId: run.workspaceId } } }) : null;
    const caller = { workspaceId: run.workspaceId, userId: run.startedById, role: starter?.status === "ACTIVE" ? starter.role : null, workflowId: run.workflowId };
    const graph = workflowGraphSchema.parse(run.graph);
    const nodeOf = (id: string) => {
      const node = graph.nodes.find((n) => n.id === id);
      return node && { kind: node.kind, label: node.label || node.id };
    };
    runStarted({ id: run.id, workflowId: run.workflowId, version: run.version, workspaceId: run.workspaceId, parentRunId: run.parentRunId });
    const store = new PrismaRunStore(prisma, (id, e) => {
      publishRunEvent(id, { seq: e.seq, type: e.type, nodeId: e.nodeId, payload: e.payload });
      traceRunEvent(id, e, nodeOf);
      // Every step's progress is a log line carrying the run's and the step's ids.
      if (e.nodeId && e.type.startsWith("step.")) {
        const p = (e.payload ?? {}) as { attempt?: number; error?: string; waitingOn?: string };
        const fields = { nodeId: e.nodeId, kind: nodeOf(e.nodeId)?.kind, attempt: p.attempt, ...(p.error && { error: p.error }), ...(p.waitingOn && { reviewId: p.waitingOn }) };
        if (e.type === "step.failed") log.warn(fields, e.type);
        else log.info(fields, e.type);
      }
    });
    const ports: EnginePorts = {
      store,
      models: modelGateway(caller, (names, context, approver) => agentToolSet({ ...caller, ...context, source: "workflow" }, names, approver)),
      tools: {
        needsApproval: (tool) => needsApproval(run.workspaceId, tool),
        call: ({ tool, arguments: args, signal, context, approver }) => invokeTool({ ...caller, ...context, source: "workflow" }, tool, args, { signal, approver }),
      },
      reviews: prismaReviewQueue(prisma, run),
      subWorkflows: subWorkflowRunner(prisma, run, executeRun, cancelActiveRun),
      clock: { now: () => Date.now() },
    };
    const spec: RunSpec = { runId, graph, input: (run.input ?? {}) as Record<string, unknown>, depth: run.depth };
    const outcome = await runWorkflow(spec, ports, controller.signal, (nodeId, text) => publishRunEvent(runId, { type: "step.delta", nodeId, payload: { text } }));
    runEnded(runId, outcome.status, outcome.status === "failed" ? outcome.error : undefined);
    if (outcome.status === "interrupted") {
      log.info("run handed back to the queue");
      return outcome;
    }
    const status = { completed: "COMPLETED", waiting: "WAITING", failed: "FAILED", cancelled: "CANCELLED" } as const;
    // Only the lease holder settles the run (a worker that lost its lease must not).
    await prisma.run.updateMany({
      where: { id: runId, leaseOwner: workerId() },
      data: {
        status: status[outcome.status],
        output: outcome.status === "completed" ? toJson({ value: outcome.output }) : undefined,
        error: outcome.status === "failed" ? outcome.error : outcome.status === "cancelled" ? "Cancelled" : null,
        endedAt: outcome.status === "waiting" ? null : new Date(),
      },
    });
    await rollUpRun(prisma, runId);
    if (outcome.status === "cancelled") {
      const closed = await prisma.review.updateMany({ where: { runId, status: "PENDING" }, data: { status: "DECIDED", decision: { outcome: "cancelled" }, decidedAt: new Date() } });
      if (closed.count) reviewsChanged(run.workspaceId);
    }
    log.info({ status: outcome.status }, "run settled");
    // A child that ended after a pause hands its parent back to the queue (a no-op while the
    // parent is itself running and waiting on this call).
    if (run.parentRunId && outcome.status !== "waiting" && !active().has(run.parentRunId)) await enqueueRun(run.parentRunId);
    return outcome;
  } catch (error) {
    log.error({ err: error }, "run crashed");
    runEnded(runId, "failed", error instanceof Error ? error.message : String(error));
    await prisma.run
      .updateMany({ where: { id: runId, leaseOwner: workerId() }, data: { status: "FAILED", error: error instanceof Error ? error.message : String(error), endedAt: new Date() } })
      .catch(() => undefined);
    await rollUpRun(prisma, runId).catch(() => undefined);
    return { status: "failed", error: String(error) };
  } finally {
    clearInterval(heartbeat);
    clearTimeout(deadlineTimer);
    active().delete(runId);
    await releaseLease(prisma, runId).catch(() => undefined);
  }
}
