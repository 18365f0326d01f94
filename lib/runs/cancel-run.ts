import "server-only";
import { database } from "../db/client";
import { AppError, notFound } from "../errors/app-error";
import { logger } from "../log/logger";
import { cancelActiveRun, settleCancelled } from "./execute-run";
import { CANCEL_CHANNEL } from "./worker";

/**
 * Stops a run wherever it executes. The request is recorded on the run first (a worker that
 * picks the run up later, or renews its lease, sees it); a run nobody executes is cancelled
 * here and now; a run a worker executes is stopped by that worker, told at once by NOTIFY, and
 * its running model and tool calls are aborted through the run's signal.
 */
export async function cancelRun(workspaceId: string, runId: string): Promise<{ ok: true }> {
  const { prisma, notify } = await database();
  const run = await prisma.run.findFirst({ where: { id: runId, workspaceId } });
  if (!run) throw notFound("Run");
  if (["COMPLETED", "FAILED", "CANCELLED"].includes(run.status)) throw new AppError("conflict", `The run has already ended (${run.status.toLowerCase()}).`);
  await prisma.run.update({ where: { id: runId }, data: { cancelRequestedAt: new Date() } });
  if (cancelActiveRun(runId)) return { ok: true };
  if (await settleCancelled(prisma, runId, { onlyIfIdle: true })) return { ok: true };
  await notify(CANCEL_CHANNEL, runId);
  // Should the worker let go of the run just now (paused for a review), nobody would stop it:
  // look again once its lease would have run out.
  setTimeout(() => void settleCancelled(prisma, runId, { onlyIfIdle: true }).catch((error) => logger().warn({ err: error, runId }, "cancel re-check failed")), 2_000).unref();
  return { ok: true };
}
