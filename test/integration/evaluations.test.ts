import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { WorkflowGraph } from "../../lib/schemas/workflow";
import { addFilesServer, answersGraph as graph, until } from "../support/evaluation-graph";
import { gatewayWorld } from "../support/gateway-world";

/**
 * Evaluations on a real database, through the real gateway to a real OpenAI-compatible server
 * on loopback, with a real MCP server (server-filesystem) behind the workflow's Tool step: 20
 * cases run at a concurrency of 5 and are scored (a model judge among the evaluators); the Tool
 * step, which writes a file, is answered from its pin and never reached (no file, no call in
 * the audit); without a pin, no case runs; an evaluation can be cancelled mid-way.
 */
const world = gatewayWorld("evaluations");
let folder: string;
let worker: { stop(): Promise<void> };

beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), "flowdeck-eval-"));
  const { startRunWorker } = await import("../../lib/execution/run-worker");
  worker = await startRunWorker({ concurrency: 8 });
});

afterAll(async () => {
  await worker?.stop();
  const { stopQueue } = await import("../../lib/platform/queues");
  await stopQueue();
  const { closeAll } = await import("../../lib/mcp/pool");
  await closeAll();
  rmSync(folder, { recursive: true, force: true });
});

it("scores 20 cases with a judge, never reaching the pinned Tool step's server, and can be cancelled", async () => {
  await world.alias("writer", [{ modelId: "writer-model" }]);
  await world.alias("judge", [{ modelId: "judge-model" }]);
  world.llm.behave("judge-model", { kind: "answer", text: '{"score": 0.9, "reason": "Answers the question."}' });
  await addFilesServer(world.admin, folder);
  const prisma = await world.mod.db.db();

  const file = path.join(folder, "answers.txt");
  const { createWorkflow } = await import("../../lib/workflows/workflows");
  const wf = await createWorkflow(world.admin.workspace.id, world.admin.user.id, {
    name: "Answers",
    description: "",
    graph: graph(file),
  });
  const { addCases } = await import("../../lib/evaluations/cases");
  const { saveSuite, getEvaluation } = await import("../../lib/evaluations/read-evaluations");
  const { startEvaluation, cancelEvaluation } = await import("../../lib/evaluations/run-evaluation");
  // The writer echoes: "Echo: Answer: q7". Five cases expect something else.
  await addCases(
    world.admin,
    wf.id,
    Array.from({ length: 20 }, (_, i) => ({
      input: { question: `q${i}` },
      expected: i < 15 ? `Answer: q${i}` : "something else",
      rubric: "Answers the question asked.",
    })),
  );
  await saveSuite(world.admin, wf.id, {
    evaluators: [{ kind: "contains" }, { kind: "judge", model: "judge", rubric: "", passScore: 0.7 }],
    gate: null,
  });

  // Without a pin nothing answers the Tool step, which every run reaches: every case says so, and nothing runs.
  const unpinned = await startEvaluation(world.admin, wf.id, { on: "draft", concurrency: 5 });
  const refused = await until(
    () => getEvaluation(world.admin.workspace.id, unpinned.id),
    (e) => e.status !== "RUNNING",
  );
  expect(refused).toMatchObject({ status: "COMPLETED", done: 20, passed: 0 });
  expect(refused.results[0]!.error).toMatch(/nothing answers the Tool step “Save”/);
  expect(world.llm.calls()).toBe(0);

  const { pinOutput } = await import("../../lib/runs/pins");
  await pinOutput(world.admin, wf.id, "save", { output: { text: "Saved.", result: null } });
  const started = await startEvaluation(world.admin, wf.id, { on: "draft", concurrency: 5 });
  const ended = await until(
    () => getEvaluation(world.admin.workspace.id, started.id),
    (e) => e.status !== "RUNNING",
    60_000,
  );
  expect(ended).toMatchObject({ status: "COMPLETED", total: 20, done: 20, passed: 15 });
  expect(ended.results.every((r) => r.status === "DONE" && r.runId)).toBe(true);
  const failed = ended.results.find((r) => r.passed === false)!;
  expect(failed.scores).toEqual([
    { evaluator: "contains", pass: false, score: 0, reason: "Does not contain “something else”." },
    { evaluator: "judge", pass: true, score: 0.9, reason: "Answers the question." },
  ]);
  expect(ended.p50Ms).not.toBeNull();
  // 20 answers and 20 judgements went through the gateway; the file server was never asked.
  expect([world.llm.calls("writer-model"), world.llm.calls("judge-model")]).toEqual([20, 20]);
  expect(existsSync(file)).toBe(false);
  const { flushToolAudit } = await import("../../lib/mcp/tools");
  await flushToolAudit();
  expect(await prisma.toolCallAudit.count({ where: { toolName: "write_file" } })).toBe(0);
  const run = await prisma.run.findUniqueOrThrow({ where: { id: ended.results[0]!.runId! } });
  expect(run.trigger).toBe("evaluation");

  // Cancelled mid-way: the cases under way stop, and no more start.
  world.llm.behave("writer-model", { kind: "answer", delayMs: 1500 });
  const slow = await startEvaluation(world.admin, wf.id, { on: "draft", concurrency: 2 });
  await until(
    () => getEvaluation(world.admin.workspace.id, slow.id),
    (e) => e.results.some((r) => r.status === "RUNNING"),
  );
  await cancelEvaluation(world.admin, slow.id);
  const stopped = await until(
    () => getEvaluation(world.admin.workspace.id, slow.id),
    (e) => e.status !== "RUNNING",
  );
  expect(stopped.status).toBe("CANCELLED");
  expect(stopped.done).toBeLessThan(5);
  expect(stopped.results.filter((r) => r.status === "PENDING").length).toBeGreaterThan(14);
});

it("the publish gate needs an evaluation of the draft as it is, at its rate, without regressions; an admin's override is audited", async () => {
  await world.alias("writer", [{ modelId: "writer-model" }]);
  world.llm.behave("writer-model", { kind: "answer", text: "Kelp" });
  const { createWorkflow } = await import("../../lib/workflows/workflows");
  const { publishWorkflow } = await import("../../lib/workflows/versions");
  const { saveDraft } = await import("../../lib/workflows/save-draft");
  const { addCases } = await import("../../lib/evaluations/cases");
  const { saveSuite, getEvaluation } = await import("../../lib/evaluations/read-evaluations");
  const { startEvaluation } = await import("../../lib/evaluations/run-evaluation");
  const { gateStatus, checkGate } = await import("../../lib/evaluations/gate");
  const ws = world.admin.workspace.id;
  const simple = (instructions: string): WorkflowGraph => ({
    nodes: [
      graph("").nodes[0]!,
      { ...graph("").nodes[1]!, config: { model: "writer", instructions } },
      graph("").nodes[3]!,
    ],
    edges: [
      { id: "e1", source: "start", target: "write" },
      { id: "e2", source: "write", target: "out" },
    ],
  });
  const wf = await createWorkflow(ws, world.admin.user.id, {
    name: "Gated",
    description: "",
    graph: simple("Say kelp"),
  });
  await publishWorkflow(ws, world.admin.user.id, wf.id, { note: "", revision: wf.revision });
  await addCases(world.admin, wf.id, [{ input: { question: "a" }, expected: "Kelp" }]);
  await saveSuite(world.admin, wf.id, { evaluators: [{ kind: "contains" }], gate: { passRate: 100 } });
  const evaluate = async (on: "draft" | number) => {
    const { id } = await startEvaluation(world.admin, wf.id, { on, concurrency: 1 });
    return until(
      () => getEvaluation(ws, id),
      (e) => e.status !== "RUNNING",
    );
  };
  expect(await gateStatus(ws, wf.id)).toMatchObject({ required: true, ok: false, evaluation: null });
  expect((await evaluate(1)).passed).toBe(1);
  expect((await evaluate("draft")).passed).toBe(1);
  expect(await gateStatus(ws, wf.id)).toMatchObject({ ok: true, evaluation: { rate: 100 } });

  // Moving a step on the canvas keeps the evaluation; changing what runs does not.
  const moved = simple("Say kelp");
  moved.nodes[1]!.position = { x: 999, y: 99 };
  const r1 = await saveDraft(ws, world.admin.user.id, wf.id, { revision: wf.revision, graph: moved });
  expect((await gateStatus(ws, wf.id)).ok).toBe(true);
  await saveDraft(ws, world.admin.user.id, wf.id, { revision: r1.revision, graph: simple("Say seals") });
  world.llm.behave("writer-model", { kind: "answer", text: "Seals" });
  expect((await gateStatus(ws, wf.id)).why).toMatch(/has not been evaluated/);
  await evaluate("draft");
  expect((await gateStatus(ws, wf.id)).why).toBe(
    "The draft passed 0% of its cases; the gate asks for 100%. 1 case that passed on version 1 fails on the draft.",
  );
  // A builder may neither take the gate away nor publish over it; an admin may, with a reason, audited.
  const gate = { passRate: 100 };
  for (const weaker of [
    { evaluators: [{ kind: "contains" as const }], gate: null },
    { evaluators: [], gate },
    { evaluators: [{ kind: "contains" as const }], gate, reviews: { policy: "approved" as const, decisions: {} } },
  ])
    await expect(saveSuite(world.builder, wf.id, weaker)).rejects.toThrow(/Only an admin may weaken the publish gate/);
  // A pattern that cannot run is refused when saved, naming it.
  await expect(
    saveSuite(world.admin, wf.id, { evaluators: [{ kind: "contains" }, { kind: "regex", pattern: "([a-z" }], gate }),
  ).rejects.toThrow(/^evaluators\.1\.pattern: Not a valid regular expression/);
  // Adding an evaluator asks more of the draft: a builder may.
  await saveSuite(world.builder, wf.id, { evaluators: [{ kind: "contains" }, { kind: "exact" }], gate });
  expect(await (await world.mod.db.db()).auditLog.count({ where: { action: "workflow.gate", targetId: wf.id } })).toBe(
    1,
  );
  await expect(checkGate(world.builder, wf.id, "because")).rejects.toThrow(/Only an admin may publish over the gate/);
  const reason = await checkGate(world.admin, wf.id, "Legal asked for it.");
  const current = await (await world.mod.db.db()).workflow.findUniqueOrThrow({ where: { id: wf.id } });
  await publishWorkflow(ws, world.admin.user.id, wf.id, { note: "", revision: current.revision, gateOverride: reason });
  const rows = await (await world.mod.db.db()).auditLog.findMany({ where: { action: "workflow.publish-over-gate" } });
  expect(rows.map((r) => r.after)).toEqual([{ version: 2, note: "", gateOverrideReason: "Legal asked for it." }]);
});
