import "server-only";
import { db } from "../db/client";
import { AppError, notFound } from "../errors/app-error";
import { cancelActiveRun } from "./execute-run";
import { publishRunEvent } from "./live-events";
import { PrismaRunStore } from "./prisma-run-store";

/** Stops a run: running model and tool calls are aborted through the run's signal. */
export async function cancelRun(workspaceId: string, runId: string): Promise<{ ok: true }> {
  const prisma = await db();
  const run = await prisma.run.findFirst({ where: { id: runId, workspaceId } });
  if (!run) throw notFound("Run");
  if (["COMPLETED", "FAILED", "CANCELLED"].includes(run.status)) throw new AppError("conflict", `The run has already ended (${run.status.toLowerCase()}).`);
  if (!cancelActiveRun(runId)) {
    // Not executing here (waiting for a review, or queued): mark it cancelled directly.
    await prisma.run.update({ where: { id: runId }, data: { status: "CANCELLED", error: "Cancelled", endedAt: new Date() } });
    await prisma.review.updateMany({ where: { runId, status: "PENDING" }, data: { status: "DECIDED", decision: { outcome: "cancelled" } } });
    await new PrismaRunStore(prisma, (id, e) => publishRunEvent(id, e)).appendEvent(runId, { type: "run.cancelled" });
  }
  return { ok: true };
}
