import "server-only";
import { database } from "../db/client";
import { AppError, notFound } from "../errors/app-error";
import { publishSoon } from "../platform/channels";
import { isEnded } from "../schemas/run";
import { enqueueRun } from "./queue";
import { settleRun } from "./settle-run";

/**
 * Stops a run wherever it executes, by one path:
 * 1. the request is recorded on the run (a worker that picks it up later, renews its lease or
 *    lets go of it sees it there);
 * 2. a run no live worker holds (queued, waiting for a review, or its worker died) is settled
 *    as cancelled here and now (and a parent waiting on it is sent back to the queue);
 * 3. otherwise the `runCancel` channel tells every process, and the one executing the run
 *    aborts its signal, which stops its model and tool calls; the engine then settles it.
 */
export async function cancelRun(workspaceId: string, runId: string): Promise<{ ok: true }> {
  const { prisma, sql } = await database();
  const run = await prisma.run.findFirst({
    where: { id: runId, workspaceId },
    select: { status: true, parentRunId: true },
  });
  if (!run) throw notFound("Run");
  if (isEnded(run.status)) throw new AppError("conflict", `The run has already ended (${run.status.toLowerCase()}).`);
  await prisma.run.update({ where: { id: runId }, data: { cancelRequestedAt: new Date() } });
  if (await settleRun(sql, runId, { status: "cancelled" }, "idle")) {
    // A child run waiting for a review: its parent waits on it, and goes on now (its step fails).
    if (run.parentRunId) await enqueueRun(run.parentRunId);
    return { ok: true };
  }
  publishSoon("runCancel", runId);
  return { ok: true };
}
