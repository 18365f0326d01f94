import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, it } from "vitest";
import type { WorkflowGraph, WorkflowNode } from "../../lib/schemas/workflow";
import { loopOver, until } from "../support/evaluation-graph";
import { allowLoopback } from "../support/loopback-destination";
import { runHarness } from "../support/run-harness";
import { withRunWorker } from "../support/run-worker";

/**
 * Loop steps in evaluations, on a real database with a real run worker: a Loop whose steps
 * inside only compute runs in the case's run (each item a sealed child run, a review inside
 * decided by the suite's policy, none filed); a Loop with a step inside that reaches outside is
 * answered whole from the case's source run (the server not asked again), and without one the
 * case names the step inside. A case taken from a run keeps no child run ids in its expected
 * output, and passes on a run with other child runs.
 */
const h = runHarness("evaluation-loops");
withRunWorker(4);

const node = (id: string, kind: WorkflowNode["kind"], config: Record<string, unknown>, parentId?: string) =>
  ({
    id,
    kind,
    label: id[0]!.toUpperCase() + id.slice(1),
    position: { x: 0, y: 0 },
    config,
    ...(parentId && { parentId }),
  }) as WorkflowNode;

/**
 *  start(numbers) ──> loop ──> out (its value: `out`)
 *                     ┌ inside loop ──────────────────────────────────┐
 *                     │ double (a transform, or `inside`) ──> result   │
 *                     └───────────────────────────────────────────────┘
 */
const loopGraph = (out: string, inside?: WorkflowNode): WorkflowGraph => ({
  nodes: [
    node("start", "start", { fields: [{ name: "numbers", type: "json", required: true }] }),
    node("loop", "loop", loopOver("{{nodes.start.output.numbers}}")),
    inside ?? node("double", "transform", { expression: "nodes.loop.output.item * 2" }, "loop"),
    node("result", "output", { value: `{{nodes.${inside?.id ?? "double"}.output}}` }, "loop"),
    node("out", "output", { value: out }),
  ],
  edges: [
    { id: "e1", source: "start", target: "loop" },
    { id: "e2", source: "loop", target: "out" },
    { id: "e3", source: inside?.id ?? "double", target: "result" },
  ],
});

async function evaluated(workflowId: string) {
  const { saveSuite, getEvaluation } = await import("../../lib/evaluations/read-evaluations");
  const { startEvaluation } = await import("../../lib/evaluations/run-evaluation");
  await saveSuite(h.admin, workflowId, { evaluators: [{ kind: "exact" }], gate: null });
  const { id } = await startEvaluation(h.admin, workflowId, { on: "draft", concurrency: 2 });
  return until(
    () => getEvaluation(h.admin.workspace.id, id),
    (e) => e.status !== "RUNNING",
  );
}

it("runs a Loop whose steps inside only compute; a Loop with a step inside that reaches outside needs an answer naming that step", async () => {
  const { addCases, addCaseFromRun } = await import("../../lib/evaluations/cases");
  const { awaitRun } = await import("../../lib/runs/await-run");
  const ws = h.admin.workspace.id;
  const prisma = await h.mod.db.db();
  const pure = await h.mod.workflows.createWorkflow(ws, h.admin.user.id, {
    name: "Doubles",
    description: "",
    graph: loopGraph("{{nodes.loop.output.results}}"),
  });
  await addCases(h.admin, pure.id, [{ input: { numbers: [1, 2, 3] }, expected: [2, 4, 6] }]);
  const ran = await evaluated(pure.id);
  expect(ran.results[0]!.error).toBeNull();
  expect(ran).toMatchObject({ status: "COMPLETED", done: 1, passed: 1 });
  // Each item ran as a child run of the case's run, sealed like it.
  const children = await prisma.run.findMany({ where: { parentRunId: ran.results[0]!.runId! } });
  expect(children.map((c) => [c.status, (c.standIns as { sealed?: boolean } | null)?.sealed])).toEqual(
    Array(3).fill(["COMPLETED", true]),
  );

  // An HTTP Request inside the loop: nothing answers it, so the loop needs an answer; the case says which step.
  const fetch = node(
    "fetch",
    "http",
    { method: "GET", url: "https://example.test/{{nodes.loop.output.item}}" },
    "loop",
  );
  const reaching = await h.mod.workflows.createWorkflow(ws, h.admin.user.id, {
    name: "Fetches",
    description: "",
    graph: loopGraph("{{nodes.loop.output.results}}", fetch),
  });
  await addCases(h.admin, reaching.id, [{ input: { numbers: [1] }, expected: [{ status: 200 }] }]);
  const refused = await evaluated(reaching.id);
  expect(refused).toMatchObject({ status: "COMPLETED", done: 1, passed: 0 });
  // A Loop cannot be pinned: only a run that went through it answers it.
  expect(refused.results[0]!.error).toBe(
    "Not run: evaluations never reach outside, and nothing answers the Loop step “Loop”: the HTTP Request step “Fetch” inside it reaches outside. Take the case from a run that went through it.",
  );

  // A case taken from a run that went through it: the Loop is answered whole from that run (its
  // child run ids in the output too, compared without them), and the server is not asked again.
  let asked = 0;
  const server = createServer((_, res) => {
    asked += 1;
    res.end("ok");
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  try {
    await allowLoopback(h.admin);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/{{nodes.loop.output.item}}`;
    const whole = await h.mod.workflows.createWorkflow(ws, h.admin.user.id, {
      name: "Fetches, whole",
      description: "",
      graph: loopGraph("{{nodes.loop.output}}", { ...fetch, config: { method: "GET", url } }),
    });
    const { id: runId } = await h.mod.start.startRun(h.admin, whole.id, { input: { numbers: [1, 2] }, mode: "draft" });
    expect(await awaitRun(runId, 20_000)).toMatchObject({ status: "COMPLETED" });
    expect(asked).toBe(2);
    await addCaseFromRun(h.admin, runId);
    const answered = await evaluated(whole.id);
    expect(answered.results[0]!.error).toBeNull();
    expect(answered).toMatchObject({ done: 1, passed: 1 });
    expect(asked).toBe(2);
    expect(await prisma.run.count({ where: { parentRunId: answered.results[0]!.runId! } })).toBe(0);
  } finally {
    server.close();
  }
});

it("a case taken from a run keeps no child run ids in its expected output, and passes on a run with other children", async () => {
  const { addCaseFromRun, listCases } = await import("../../lib/evaluations/cases");
  const { awaitRun } = await import("../../lib/runs/await-run");
  const ws = h.admin.workspace.id;
  const prisma = await h.mod.db.db();
  const wf = await h.mod.workflows.createWorkflow(ws, h.admin.user.id, {
    name: "Doubles, whole",
    description: "",
    graph: loopGraph("{{nodes.loop.output}}"),
  });
  const { id: runId } = await h.mod.start.startRun(h.admin, wf.id, { input: { numbers: [1, 2] }, mode: "draft" });
  expect(await awaitRun(runId, 20_000)).toMatchObject({ status: "COMPLETED" });
  const source = await prisma.run.findUniqueOrThrow({ where: { id: runId } });
  expect(source.output).toMatchObject({ value: { runs: [expect.any(String), expect.any(String)] } });

  const made = await addCaseFromRun(h.admin, runId);
  expect(made.expected).toEqual({ results: [2, 4], failures: [], count: 2 });
  // The case's run makes children of its own: compared without their ids, it passes.
  const ran = await evaluated(wf.id);
  expect(ran.results[0]!.error).toBeNull();
  expect(ran).toMatchObject({ done: 1, passed: 1 });
  expect(ran.results[0]!.output).toEqual({ results: [2, 4], failures: [], count: 2 });

  // A case made before (its expected output still holds its source run's child ids) passes too.
  const [stored] = await listCases(ws, wf.id);
  await prisma.evalCase.update({
    where: { id: stored!.id },
    data: { expected: (source.output as { value: object }).value },
  });
  expect(await evaluated(wf.id)).toMatchObject({ done: 1, passed: 1 });
});

it("decides a review inside a Loop by the suite's policy, filing none", async () => {
  const { addCases } = await import("../../lib/evaluations/cases");
  const ws = h.admin.workspace.id;
  const prisma = await h.mod.db.db();
  const check = node(
    "check",
    "human-review",
    { instructions: "Fine?", content: "{{nodes.loop.output.item}}", reviewerRole: "ADMIN", allowSelfApproval: true },
    "loop",
  );
  const g = loopGraph("{{nodes.loop.output.results}}", check);
  g.edges[2] = { ...g.edges[2]!, sourceHandle: "approved" };
  g.nodes.find((n) => n.id === "result")!.config = { value: "{{nodes.check.output.decision}}" };
  const wf = await h.mod.workflows.createWorkflow(ws, h.admin.user.id, { name: "Checked", description: "", graph: g });
  await addCases(h.admin, wf.id, [{ input: { numbers: [1, 2] }, expected: ["approved", "approved"] }]);
  const ran = await evaluated(wf.id);
  expect(ran.results[0]!.error).toBeNull();
  expect(ran).toMatchObject({ done: 1, passed: 1 });
  expect(await prisma.review.count({ where: { workflowId: wf.id } })).toBe(0);
});

it("a case's run retried on a draft whose Loop now calls out stays sealed: the call inside is refused, the server never asked", async () => {
  const { addCases } = await import("../../lib/evaluations/cases");
  const { awaitRun } = await import("../../lib/runs/await-run");
  const { retryRun } = await import("../../lib/runs/retry-run");
  const { saveDraft } = await import("../../lib/workflows/save-draft");
  const ws = h.admin.workspace.id;
  const prisma = await h.mod.db.db();
  // Its Loop only computes, and fails: the case's run stops there.
  const failing = node("double", "transform", { expression: '$error("not yet")' }, "loop");
  const wf = await h.mod.workflows.createWorkflow(ws, h.admin.user.id, {
    name: "Later fetches",
    description: "",
    graph: loopGraph("{{nodes.loop.output.results}}", failing),
  });
  await addCases(h.admin, wf.id, [{ input: { numbers: [1] }, expected: [2] }]);
  const ran = await evaluated(wf.id);
  expect(ran.results[0]!.error).toMatch(/not yet/);

  let asked = 0;
  const server = createServer((_, res) => {
    asked += 1;
    res.end("ok");
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  try {
    // The draft's Loop now calls a server this workspace may reach (allowed by the test before);
    // the case's run, retried on it, may not.
    await allowLoopback(h.admin).catch(() => undefined);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/{{nodes.loop.output.item}}`;
    const { revision } = await prisma.workflow.findUniqueOrThrow({ where: { id: wf.id } });
    const fetching = node("double", "http", { method: "GET", url }, "loop");
    await saveDraft(ws, h.admin.user.id, wf.id, {
      revision,
      graph: loopGraph("{{nodes.loop.output.results}}", fetching),
    });
    const again = await retryRun(h.admin, ran.results[0]!.runId!);
    expect(await awaitRun(again.id, 30_000)).toMatchObject({ status: "FAILED" });
    const children = await prisma.run.findMany({ where: { parentRunId: again.id } });
    expect(children.length).toBeGreaterThan(0);
    for (const child of children) {
      expect((child.standIns as { sealed?: boolean } | null)?.sealed).toBe(true);
      expect(child.error).toMatch(/Not run: an evaluation never reaches outside/);
    }
    expect(asked).toBe(0);
  } finally {
    server.close();
  }
});
