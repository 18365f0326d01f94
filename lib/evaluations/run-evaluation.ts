import "server-only";
import type { Viewer } from "../auth/session";
import type { Role } from "../schemas/identity";
import { database, db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { validateGraph } from "../engine/graph/validate-graph";
import { AppError, notFound } from "../errors/app-error";
import { logger } from "../log/logger";
import { awaitRun } from "../runs/await-run";
import { cancelRun } from "../runs/cancel-run";
import { pinnedOutputs } from "../runs/pinned-change";
import { runFromSteps } from "../runs/run-from-steps";
import { readSteps } from "../runs/sql-run-store";
import { reviewSettingsSchema, storedSuiteOf, type Evaluator, type Score } from "../schemas/evaluations";
import { runInputOf, runOutputOf } from "../schemas/run";
import { workflowGraphSchema } from "../schemas/workflow";
import { score } from "./evaluators";
import { gatewayJudge } from "./judge";
import { certainRefusal, standInsFor } from "./mocks";
import { runIdsUnder, withoutRunIds } from "./run-ids";

/** The longest one case's run may take before the evaluation gives up on it. */
const CASE_WAIT_MS = 10 * 60_000;

/** Starts an evaluation of every test case on the draft or a version; it runs in this process. */
export async function startEvaluation(
  viewer: Viewer,
  workflowId: string,
  ask: { on: "draft" | number; concurrency: number },
): Promise<{ id: string }> {
  const prisma = await db();
  const wf = await prisma.workflow.findFirst({
    where: { id: workflowId, workspaceId: viewer.workspace.id, deletedAt: null },
  });
  if (!wf) throw notFound("Workflow");
  let graphJson: unknown = wf.graph;
  if (ask.on !== "draft") {
    const version = await prisma.workflowVersion.findUnique({
      where: { workflowId_version: { workflowId, version: ask.on } },
    });
    if (!version) throw new AppError("bad_request", `body.on: there is no version ${ask.on}.`);
    graphJson = version.graph;
  }
  const graph = workflowGraphSchema.parse(graphJson);
  const problems = validateGraph(graph);
  if (problems.length) throw new AppError("bad_request", `The workflow cannot run: ${problems[0]!.message}`);
  const suite = storedSuiteOf(wf.suite);
  if (!suite.evaluators.length)
    throw new AppError("bad_request", "Add an evaluator first: it says what a passing answer is.");
  const cases = await prisma.evalCase.findMany({
    where: { workflowId },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
  if (!cases.length) throw new AppError("bad_request", "Add test cases first: from a run's page, a file, or typed.");
  const evaluation = await prisma.evaluation.create({
    data: {
      workspaceId: viewer.workspace.id,
      workflowId,
      version: ask.on === "draft" ? null : ask.on,
      graph: graphJson as Prisma.InputJsonValue,
      evaluators: suite.evaluators as unknown as Prisma.InputJsonValue,
      reviews: suite.reviews as unknown as Prisma.InputJsonValue,
      concurrency: ask.concurrency,
      total: cases.length,
      startedById: viewer.user.id,
      // Driven by this process from the start (see `resumeStaleEvaluations`).
      driverSeenAt: new Date(),
      results: { create: cases.map((c) => ({ caseId: c.id })) },
    },
  });
  drive(evaluation.id);
  return { id: evaluation.id };
}

/** Drives an evaluation in the background; a driver that throws fails the evaluation, saying so in the log. */
export function drive(id: string): void {
  void driveEvaluation(id).catch(async (error: unknown) => {
    logger().error({ err: error, evaluationId: id }, "an evaluation stopped");
    await (
      await db()
    ).evaluation
      .update({ where: { id }, data: { status: "FAILED", endedAt: new Date() } })
      .catch(() => undefined);
  });
}

/** Asks an evaluation to stop: no case starts after this, and running ones are cancelled. */
export async function cancelEvaluation(viewer: Viewer, id: string): Promise<void> {
  const res = await (
    await db()
  ).evaluation.updateMany({
    where: { id, workspaceId: viewer.workspace.id, status: "RUNNING" },
    data: { cancelRequestedAt: new Date() },
  });
  if (res.count === 0) {
    const exists = await (await db()).evaluation.count({ where: { id, workspaceId: viewer.workspace.id } });
    if (!exists) throw notFound("Evaluation");
    return;
  }
  // The cases under way stop too (their runs end cancelled, and the cases say so).
  const running = await (
    await db()
  ).evaluationResult.findMany({
    where: { evaluationId: id, status: "RUNNING", runId: { not: null } },
    select: { runId: true },
  });
  await Promise.all(running.map((r) => cancelRun(viewer.workspace.id, r.runId!).catch(() => undefined)));
}

async function driveEvaluation(id: string): Promise<void> {
  const prisma = await db();
  const { sql } = await database();
  const evaluation = await prisma.evaluation.findUniqueOrThrow({ where: { id }, include: { results: true } });
  const graph = workflowGraphSchema.parse(evaluation.graph);
  const evaluators = evaluation.evaluators as Evaluator[];
  const [workflow, member] = await Promise.all([
    prisma.workflow.findUnique({ where: { id: evaluation.workflowId }, select: { pins: true } }),
    evaluation.startedById
      ? prisma.membership.findFirst({
          where: { userId: evaluation.startedById, workspaceId: evaluation.workspaceId },
          select: { role: true },
        })
      : null,
  ]);
  const pins = pinnedOutputs(workflow?.pins);
  const reviews = reviewSettingsSchema.parse(evaluation.reviews ?? {});
  // The judge calls the gateway as the person who started the evaluation.
  const role: Role | null = member?.role ?? null;
  // Alive: said every few seconds, so a silent driver's evaluation is taken over elsewhere.
  const heartbeat = setInterval(
    () => void prisma.evaluation.update({ where: { id }, data: { driverSeenAt: new Date() } }).catch(() => undefined),
    5_000,
  );
  heartbeat.unref();
  try {
    await driveCases();
  } finally {
    clearInterval(heartbeat);
  }

  async function driveCases() {
    const cases = new Map(
      (await prisma.evalCase.findMany({ where: { id: { in: evaluation.results.map((r) => r.caseId) } } })).map((c) => [
        c.id,
        c,
      ]),
    );
    // Cases a stopped driver left under way come first (their runs are awaited, not started again).
    const pending = [
      ...evaluation.results.filter((r) => r.status === "RUNNING"),
      ...evaluation.results.filter((r) => r.status === "PENDING"),
    ];
    const cancelled = async () =>
      (await prisma.evaluation.findUniqueOrThrow({ where: { id }, select: { cancelRequestedAt: true } }))
        .cancelRequestedAt !== null;
    // A case is counted once, by whoever finishes it first (two drivers only if one was thought
    // dead): its result and the evaluation's counters change in one statement, or not at all.
    const finish = (
      resultId: string,
      r: {
        status: "DONE" | "ERROR";
        error?: string;
        passed?: boolean;
        scores?: Score[];
        output?: unknown;
        latencyMs?: number | null;
        costUsd?: number;
      },
      passed: boolean,
      costUsd: number,
    ) =>
      prisma.$executeRaw`
        WITH r AS (
          UPDATE "EvaluationResult"
          SET "status" = ${r.status}, "error" = ${r.error ?? null}, "passed" = ${r.passed ?? null},
              "scores" = ${r.scores ? JSON.stringify(r.scores) : null}::jsonb,
              "output" = ${r.output === undefined ? null : JSON.stringify({ value: r.output })}::jsonb,
              "latencyMs" = ${r.latencyMs ?? null}, "costUsd" = ${r.costUsd ?? 0}
          WHERE "id" = ${resultId} AND "status" IN ('PENDING', 'RUNNING')
          RETURNING 1)
        UPDATE "Evaluation"
        SET "done" = "done" + 1, "passed" = "passed" + ${passed ? 1 : 0}, "costUsd" = "costUsd" + ${costUsd}
        WHERE "id" = ${id} AND EXISTS (SELECT 1 FROM r)`;

    const runCase = async (result: (typeof pending)[number]) => {
      const c = cases.get(result.caseId);
      if (!c) return finish(result.id, { status: "ERROR", error: "The test case was deleted." }, false, 0);
      const input = runInputOf(c.input);
      // A case a stopped driver left under way: its run goes on (a worker holds it); await it.
      let runId = result.status === "RUNNING" ? result.runId : null;
      if (!runId) {
        // What answers each step that reaches outside (the source run's record, else the step's
        // pin) and decides each review, when the case's run gets there: nothing is filed or sent.
        const recorded = c.sourceRunId ? await readSteps(sql, c.sourceRunId) : [];
        const standIns = standInsFor(graph, recorded, pins, reviews);
        // A step nothing answers that every run reaches: the case cannot pass; say so without running it.
        const refusal = certainRefusal(graph, standIns);
        if (refusal) return finish(result.id, { status: "ERROR", error: refusal }, false, 0);
        runId = await runFromSteps(
          { userId: evaluation.startedById ?? "", trigger: "evaluation" },
          {
            id: c.sourceRunId ?? "",
            workspaceId: evaluation.workspaceId,
            workflowId: evaluation.workflowId,
            conversation: null,
            standIns: null,
          },
          {
            graph,
            version: evaluation.version,
            input,
            copied: [],
            started: { evaluationId: id },
            standIns,
          },
        );
        await prisma.evaluationResult.update({ where: { id: result.id }, data: { status: "RUNNING", runId } });
        // Cancelled while this run was being made: cancel's sweep of running cases may have missed it.
        if (await cancelled()) await cancelRun(evaluation.workspaceId, runId).catch(() => undefined);
      }
      const ended = await awaitRun(runId, CASE_WAIT_MS);
      if (ended.status === "WAITING" || ended.status === "RUNNING" || ended.status === "QUEUED") {
        await cancelRun(evaluation.workspaceId, runId);
        await awaitRun(runId, 10_000); // its cost is rolled up when it settles
      }
      const run = await prisma.run.findUniqueOrThrow({ where: { id: runId } });
      // What the case cost: its run's steps, and those of its child runs (a Loop's items), each
      // of which keeps its own.
      const own = await runIdsUnder(prisma, [runId]);
      const children = own.size
        ? await prisma.run.aggregate({ where: { id: { in: [...own] } }, _sum: { costUsd: true } })
        : null;
      run.costUsd += children?._sum.costUsd ?? 0;
      if (ended.status !== "COMPLETED") {
        const why =
          ended.status === "WAITING"
            ? "The run waited for a person (an approval inside a step): evaluations do not wait."
            : (ended.error ?? `The run ended ${ended.status.toLowerCase()}.`);
        return finish(result.id, { status: "ERROR", error: why, costUsd: run.costUsd }, false, run.costUsd);
      }
      // Compared without child run ids: the case's run's own, and its source run's (a Loop answered from it).
      const ids = c.sourceRunId ? new Set([...own, ...(await runIdsUnder(prisma, [c.sourceRunId]))]) : own;
      const output = withoutRunIds(runOutputOf(run.output), ids);
      const expected = withoutRunIds(c.expected ?? undefined, ids);
      const spent = { usd: 0 };
      const judge = gatewayJudge(
        {
          workspaceId: evaluation.workspaceId,
          userId: evaluation.startedById,
          role,
          source: "workflow",
          workflowId: evaluation.workflowId,
        },
        spent,
      );
      const scores: Score[] = [];
      for (const evaluator of evaluators)
        scores.push(await score(evaluator, { output, expected, input, rubric: c.rubric }, judge));
      const passed = scores.every((s) => s.pass);
      const costUsd = run.costUsd + spent.usd;
      return finish(
        result.id,
        {
          status: "DONE",
          passed,
          scores,
          output,
          latencyMs: run.durationMs,
          costUsd,
        },
        passed,
        costUsd,
      );
    };

    // A pool of `concurrency` lanes, each taking the next case until none is left or it is cancelled.
    let next = 0;
    let stopped = false;
    const lane = async () => {
      while (next < pending.length && !stopped) {
        if (await cancelled()) return void (stopped = true);
        // Other lanes took cases while this one asked: take the next one only if one is left.
        if (next >= pending.length) return;
        const result = pending[next++]!;
        await runCase(result).catch((error: unknown) =>
          finish(result.id, { status: "ERROR", error: (error as Error).message }, false, 0),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(evaluation.concurrency, pending.length) }, lane));
    await prisma.evaluation.update({
      where: { id },
      data: { status: stopped ? "CANCELLED" : "COMPLETED", endedAt: new Date() },
    });
  }
}
