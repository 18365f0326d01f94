import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointAtScratchDatabase, seedWorkspace } from "../support/process-database";
import type { PrismaClient } from "../../lib/db/generated/client";
import type { Sql } from "../../lib/db/client";

/**
 * settleRun is the one way a run ends: status, result, rollup and terminal event in one
 * statement; never twice; only by the worker holding the lease, or by anyone while nobody
 * does. Cancelling closes the run's pending reviews with a decision that parses.
 */
let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>>;
let prisma: PrismaClient;
let sql: Sql;
let settleRun: typeof import("../../lib/runs/settle-run").settleRun;
let cancelRun: typeof import("../../lib/runs/cancel-run").cancelRun;
let parseReviewDecision: typeof import("../../lib/schemas/review").parseReviewDecision;
let workspaceId: string;

beforeAll(async () => {
  scratch = await pointAtScratchDatabase("settle");
  ({ prisma, sql } = await (await import("../../lib/db/client")).database());
  ({ settleRun } = await import("../../lib/runs/settle-run"));
  ({ cancelRun } = await import("../../lib/runs/cancel-run"));
  ({ parseReviewDecision } = await import("../../lib/schemas/review"));
  const [admin] = await seedWorkspace(prisma, "settling", [{ email: "ada@example.com", role: "ADMIN" }]);
  workspaceId = admin.workspace.id;
});
afterAll(async () => {
  await (await import("../../lib/platform/queues")).stopQueue();
  await scratch?.done();
});

async function newRun(
  data: { leaseOwner?: string; leaseSeconds?: number; status?: "QUEUED" | "RUNNING" | "WAITING" } = {},
) {
  const run = await prisma.run.create({
    data: {
      workspaceId,
      workflowId: "wf",
      graph: { nodes: [], edges: [] },
      input: {},
      status: data.status ?? "RUNNING",
      leaseOwner: data.leaseOwner ?? null,
      leaseExpiresAt: data.leaseOwner ? new Date(Date.now() + (data.leaseSeconds ?? 60) * 1000) : null,
    },
  });
  await prisma.runEvent.create({ data: { runId: run.id, seq: 1, type: "run.started" } });
  await prisma.runStep.create({
    data: {
      runId: run.id,
      nodeId: "a",
      kind: "agent",
      attempt: 1,
      status: "done",
      costUsd: 0.25,
      inputTokens: 10,
      outputTokens: 5,
      startedAt: new Date(),
    },
  });
  return run.id;
}
const events = (runId: string) =>
  prisma.runEvent.findMany({
    where: { runId },
    orderBy: { seq: "asc" },
    select: { seq: true, type: true, payload: true },
  });

describe("settleRun", () => {
  it("writes the status, the output, the rollup and the terminal event together, once", async () => {
    const runId = await newRun({ leaseOwner: "worker-1" });
    expect(
      await settleRun(sql, runId, { status: "completed", output: { answer: 42 } }, { leaseOwner: "worker-1" }),
    ).toBe(true);
    const run = await prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({
      status: "COMPLETED",
      output: { value: { answer: 42 } },
      error: null,
      costUsd: 0.25,
      inputTokens: 10,
      outputTokens: 5,
    });
    expect(run.endedAt).not.toBeNull();
    expect(run.durationMs).not.toBeNull();
    expect(await events(runId)).toEqual([
      { seq: 1, type: "run.started", payload: null },
      { seq: 2, type: "run.completed", payload: { output: { answer: 42 } } },
    ]);
    expect(await settleRun(sql, runId, { status: "failed", error: "late" }, { leaseOwner: "worker-1" })).toBe(false);
    expect((await prisma.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("COMPLETED");
    expect(await events(runId)).toHaveLength(2);
  });

  it("refuses a worker that no longer holds the lease, and an idle settle while a live worker holds it", async () => {
    const runId = await newRun({ leaseOwner: "worker-2" });
    expect(await settleRun(sql, runId, { status: "failed", error: "x" }, { leaseOwner: "worker-1" })).toBe(false);
    expect(await settleRun(sql, runId, { status: "cancelled" }, "idle")).toBe(false);
    expect(await events(runId)).toHaveLength(1);
    const expired = await newRun({ leaseOwner: "worker-dead", leaseSeconds: -5 });
    expect(await settleRun(sql, expired, { status: "cancelled" }, "idle")).toBe(true);
  });

  it("pauses a run (waiting, not ended), and ends it later", async () => {
    const runId = await newRun({ leaseOwner: "w" });
    expect(await settleRun(sql, runId, { status: "waiting", waitingOn: ["review"] }, { leaseOwner: "w" })).toBe(true);
    expect(await prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({
      status: "WAITING",
      endedAt: null,
    });
    expect(
      await settleRun(
        sql,
        runId,
        { status: "failed", error: "Review failed: no", nodeId: "review" },
        { leaseOwner: "w" },
      ),
    ).toBe(true);
    expect((await events(runId)).map((e) => e.type)).toEqual(["run.started", "run.waiting", "run.failed"]);
    expect(await prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({
      status: "FAILED",
      error: "Review failed: no",
    });
  });
});

describe("cancelRun", () => {
  it("cancels a run nobody executes at once, closing its pending reviews with a decision that parses", async () => {
    const runId = await newRun({ status: "WAITING" });
    const review = await prisma.review.create({
      data: {
        workspaceId,
        runId,
        nodeId: "approve",
        payload: {
          runId,
          nodeId: "approve",
          instructions: "Check",
          content: "x",
          reviewerRole: "REVIEWER",
          reviewerEmail: "",
          editable: false,
          outcomes: ["approved", "rejected"],
        },
        reviewerRole: "REVIEWER",
      },
    });
    await cancelRun(workspaceId, runId);
    expect(await prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({
      status: "CANCELLED",
      error: "Cancelled",
    });
    expect((await events(runId)).map((e) => e.type)).toEqual(["run.started", "run.cancelled"]);
    const closed = await prisma.review.findUniqueOrThrow({ where: { id: review.id } });
    expect(closed.status).toBe("DECIDED");
    expect(parseReviewDecision(closed.id, closed.decision)).toMatchObject({ outcome: "cancelled", reviewer: "" });
    await expect(cancelRun(workspaceId, runId)).rejects.toThrow(/already ended/);
  });

  it("sends the parent of a cancelled child run back to the queue, so it does not wait forever", async () => {
    const parent = await newRun({ status: "WAITING" });
    const child = await newRun({ status: "WAITING" });
    await prisma.run.update({ where: { id: child }, data: { parentRunId: parent } });
    await cancelRun(workspaceId, child);
    const jobs = await prisma.$queryRaw<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'flowdeck-runs' AND data->>'runId' = ${parent}`;
    expect(jobs[0]!.n).toBe(1);
  });

  it("leaves a run a live worker holds to that worker (told on the runCancel channel), with the request recorded", async () => {
    const runId = await newRun({ leaseOwner: "busy-worker" });
    const { subscribe } = await import("../../lib/platform/channels");
    const heard: string[] = [];
    const off = await subscribe("runCancel", (id) => heard.push(id));
    await cancelRun(workspaceId, runId);
    const run = await prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("RUNNING");
    expect(run.cancelRequestedAt).not.toBeNull();
    await expect.poll(() => heard, { timeout: 5_000 }).toEqual([runId]);
    off();
  });
});
