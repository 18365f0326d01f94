import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { WorkflowGraph } from "../../lib/schemas/workflow";
import { addFilesServer, until } from "../support/evaluation-graph";
import { gatewayWorld } from "../support/gateway-world";

/**
 * Reviews and steps after a branch in evaluations, on a real database, through the real gateway
 * to a model server on loopback, with a real MCP server (server-filesystem) behind the Save step
 * that comes after a Human Review: no review is filed (nobody is asked or notified), each is
 * decided by the suite's policy, a decision set for its step, or as the case's source run was
 * decided; Save is answered by its pin when the run reaches it, or the case fails saying nothing
 * answers it, and the file server is never reached, not even by a retry of a case's run.
 */
const world = gatewayWorld("evaluation-reviews");
let folder: string;
let worker: { stop(): Promise<void> };

beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), "flowdeck-eval-reviews-"));
  const { startRunWorker } = await import("../../lib/execution/run-worker");
  worker = await startRunWorker({ concurrency: 4 });
});

afterAll(async () => {
  await worker?.stop();
  const { stopQueue } = await import("../../lib/platform/queues");
  await stopQueue();
  const { closeAll } = await import("../../lib/mcp/pool");
  await closeAll();
  rmSync(folder, { recursive: true, force: true });
});

/** Start → Write → Check (a review) → approved: Save (write_file) → Sent; rejected: Held. */
const graph = (file: string): WorkflowGraph => ({
  nodes: [
    {
      id: "start",
      kind: "start",
      label: "Start",
      position: { x: 0, y: 0 },
      config: { fields: [{ name: "question", type: "text", required: true }] },
    },
    {
      id: "write",
      kind: "agent",
      label: "Write",
      position: { x: 260, y: 0 },
      config: { model: "writer", instructions: "Answer: {{nodes.start.output.question}}" },
    },
    {
      id: "check",
      kind: "human-review",
      label: "Check",
      position: { x: 520, y: 0 },
      config: {
        instructions: "Send this?",
        content: "{{nodes.write.output.text}}",
        reviewerRole: "REVIEWER",
        allowSelfApproval: true,
      },
    },
    {
      id: "save",
      kind: "tool",
      label: "Save",
      position: { x: 780, y: 0 },
      config: {
        tool: "files__write_file",
        arguments: [
          { name: "path", value: file },
          { name: "content", value: "{{nodes.check.output.text}}" },
        ],
      },
    },
    { id: "sent", kind: "output", label: "Sent", position: { x: 1040, y: 0 }, config: { value: "sent" } },
    { id: "held", kind: "output", label: "Held", position: { x: 780, y: 200 }, config: { value: "held" } },
  ],
  edges: [
    { id: "e1", source: "start", target: "write" },
    { id: "e2", source: "write", target: "check" },
    { id: "e3", source: "check", target: "save", sourceHandle: "approved" },
    { id: "e4", source: "save", target: "sent" },
    { id: "e5", source: "check", target: "held", sourceHandle: "rejected" },
  ],
});

it("decides reviews by policy, by a step's set decision, or as the source run did; answers a step after the branch when reached", async () => {
  await world.alias("writer", [{ modelId: "writer-model" }]);
  await addFilesServer(world.admin, folder);
  const prisma = await world.mod.db.db();
  const file = path.join(folder, "sent.txt");
  const { createWorkflow } = await import("../../lib/workflows/workflows");
  const wf = await createWorkflow(world.admin.workspace.id, world.admin.user.id, {
    name: "Send answers",
    description: "",
    graph: graph(file),
  });
  const { addCases, addCaseFromRun } = await import("../../lib/evaluations/cases");
  const { saveSuite, getEvaluation } = await import("../../lib/evaluations/read-evaluations");
  const { startEvaluation } = await import("../../lib/evaluations/run-evaluation");
  await addCases(world.admin, wf.id, [
    { input: { question: "q1" }, expected: "sent" },
    { input: { question: "q2" }, expected: "sent" },
  ]);
  const evaluate = async (reviews: {
    policy: "recorded" | "approved" | "rejected";
    decisions?: Record<string, string>;
  }) => {
    await saveSuite(world.admin, wf.id, {
      evaluators: [{ kind: "exact" }],
      gate: null,
      reviews: { decisions: {}, ...reviews },
    });
    const { id } = await startEvaluation(world.admin, wf.id, { on: "draft", concurrency: 2 });
    return until(
      () => getEvaluation(world.admin.workspace.id, id),
      (e) => e.status !== "RUNNING",
      60_000,
    );
  };
  const outputs = (e: Awaited<ReturnType<typeof evaluate>>) => e.results.map((r) => r.output ?? r.error);

  // Nothing answers Save, which comes after the review: approved, the case fails saying so;
  // rejected, the run never gets there and the case passes its way.
  const unpinned = await evaluate({ policy: "approved" });
  expect(unpinned.results.map((r) => r.status)).toEqual(["ERROR", "ERROR"]);
  expect(unpinned.results[0]!.error).toMatch(
    /Save failed: Not run: evaluations never reach outside, and nothing answers the Tool step “Save”/,
  );
  expect(outputs(await evaluate({ policy: "rejected" }))).toEqual(["held", "held"]);

  // With a pin, an approved review goes on to Save, answered by the pin when the run gets there.
  const { pinOutput } = await import("../../lib/runs/pins");
  await pinOutput(world.admin, wf.id, "save", { output: { text: "Saved.", result: null } });
  const approved = await evaluate({ policy: "approved" });
  expect(approved).toMatchObject({ status: "COMPLETED", done: 2, passed: 2 });
  // A decision set for the step wins over the policy.
  expect(outputs(await evaluate({ policy: "approved", decisions: { check: "rejected" } }))).toEqual(["held", "held"]);
  const { AppError } = await import("../../lib/errors/app-error");
  await expect(
    saveSuite(world.admin, wf.id, {
      evaluators: [],
      gate: null,
      reviews: { policy: "approved", decisions: { check: "maybe" } },
    }),
  ).rejects.toThrow(AppError);

  // As the source run was decided: a real run whose review a person rejected, taken as a case.
  const { startRun } = await import("../../lib/runs/start-run");
  const { awaitRun } = await import("../../lib/runs/await-run");
  const { decideReview } = await import("../../lib/review/decide-review");
  const source = await startRun(world.admin, wf.id, { mode: "draft", input: { question: "q3" } });
  expect((await awaitRun(source.id, 30_000)).status).toBe("WAITING");
  const review = await prisma.review.findFirstOrThrow({ where: { runId: source.id } });
  await decideReview(world.admin, review.id, { outcome: "rejected", comment: "Not this one." });
  const settled = await until(
    () => prisma.run.findUniqueOrThrow({ where: { id: source.id } }),
    (r) => r.status !== "WAITING" && r.status !== "RUNNING" && r.status !== "QUEUED",
  );
  expect(settled.status).toBe("COMPLETED");
  await addCaseFromRun(world.admin, source.id);
  const recorded = await evaluate({ policy: "recorded" });
  expect(outputs(recorded)).toEqual(["sent", "sent", "held"]);
  const { readSteps } = await import("../../lib/runs/sql-run-store");
  const q3 = (await readSteps((await world.mod.db.database()).sql, recorded.results[2]!.runId!)).find(
    (step) => step.nodeId === "check",
  );
  expect(q3?.output).toMatchObject({
    decision: "rejected",
    comment: "Not this one.",
    reviewer: expect.stringMatching(/as .* decided in the case's source run/),
  });

  // No evaluation filed a review, and none reached the file server.
  const evaluationRuns = (await prisma.run.findMany({ where: { trigger: "evaluation" }, select: { id: true } })).map(
    (r) => r.id,
  );
  expect(evaluationRuns.length).toBe(11);
  expect(await prisma.review.count({ where: { runId: { in: evaluationRuns } } })).toBe(0);
  // Only the source run's review told anybody anything.
  expect(await prisma.notification.count({ where: { NOT: { link: { contains: review.id } } } })).toBe(0);

  // A retry of a case's run keeps what answered its steps: the refused Save fails again, unreached.
  const { retryRun } = await import("../../lib/runs/retry-run");
  const retried = await retryRun(world.admin, unpinned.results[0]!.runId!);
  expect(await awaitRun(retried.id, 30_000)).toMatchObject({
    status: "FAILED",
    error: expect.stringMatching(/nothing answers/),
  });
  const { flushToolAudit } = await import("../../lib/mcp/tools");
  await flushToolAudit();
  expect(await prisma.toolCallAudit.count({ where: { toolName: "write_file" } })).toBe(0);
  expect(existsSync(file)).toBe(false);

  // The draft changes: its steps get new ids. A decision saved for a step that is gone is dropped
  // on the next save, not a reason to refuse it; a new one that names no such step is refused.
  await saveSuite(world.admin, wf.id, {
    evaluators: [],
    gate: null,
    reviews: { policy: "approved", decisions: { check: "rejected" } },
  });
  const renamed = JSON.parse(
    JSON.stringify(graph(file))
      .replaceAll('"check"', '"check2"')
      .replaceAll('"save"', '"save2"')
      .replaceAll("nodes.check.", "nodes.check2."),
  ) as WorkflowGraph;
  const { saveDraft } = await import("../../lib/workflows/save-draft");
  const { revision } = await prisma.workflow.findUniqueOrThrow({ where: { id: wf.id } });
  await saveDraft(world.admin.workspace.id, world.admin.user.id, wf.id, { revision, graph: renamed });
  const kept = await saveSuite(world.admin, wf.id, {
    evaluators: [],
    gate: null,
    reviews: { policy: "approved", decisions: { check: "rejected" } },
  });
  expect(kept.reviews.decisions).toEqual({});
  await expect(
    saveSuite(world.admin, wf.id, {
      evaluators: [],
      gate: null,
      reviews: { policy: "approved", decisions: { check: "approved" } },
    }),
  ).rejects.toThrow(/reviews\.decisions\.check: the draft has no step/);

  // A case's run retried on that draft has no stand-in for the new Save: it is sealed all the
  // same, so the call is refused at the door, not made.
  const again = await retryRun(world.admin, unpinned.results[1]!.runId!);
  expect(await awaitRun(again.id, 30_000)).toMatchObject({
    status: "FAILED",
    error: expect.stringMatching(/Save failed: Not run: an evaluation never reaches outside/),
  });
  await flushToolAudit();
  expect(await prisma.toolCallAudit.count({ where: { toolName: "write_file" } })).toBe(0);
  expect(existsSync(file)).toBe(false);
});
