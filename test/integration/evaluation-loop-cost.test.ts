import { expect, it } from "vitest";
import type { WorkflowGraph } from "../../lib/schemas/workflow";
import { loopOver, until } from "../support/evaluation-graph";
import { gatewayWorld } from "../support/gateway-world";
import { withRunWorker } from "../support/run-worker";

/**
 * What an evaluation's case cost counts the model calls of a Loop's items too: each item is a
 * child run of the case's run, which keeps its own cost. Through the real gateway and run worker,
 * with a loopback provider at $1 a call.
 */
const world = gatewayWorld("evaluation-loop-cost");
withRunWorker(4, { stopQueue: true });

const at = { x: 0, y: 0 };
/** start(numbers) ──> loop [ agent (paid) ──> result ] ──> out */
const graph: WorkflowGraph = {
  nodes: [
    {
      id: "start",
      kind: "start",
      label: "Start",
      position: at,
      config: { fields: [{ name: "numbers", type: "json", required: true }] },
    },
    {
      id: "loop",
      kind: "loop",
      label: "Loop",
      position: at,
      config: loopOver("{{nodes.start.output.numbers}}"),
    },
    {
      id: "ask",
      kind: "agent",
      label: "Ask",
      position: at,
      parentId: "loop",
      config: { model: "paid", instructions: "Say a word for {{nodes.loop.output.item}}" },
    },
    {
      id: "result",
      kind: "output",
      label: "Result",
      position: at,
      parentId: "loop",
      config: { value: "{{nodes.ask.output.text}}" },
    },
    { id: "out", kind: "output", label: "Out", position: at, config: { value: "{{nodes.loop.output.results}}" } },
  ],
  edges: [
    { id: "e1", source: "start", target: "loop" },
    { id: "e2", source: "loop", target: "out" },
    { id: "e3", source: "ask", target: "result" },
  ],
};

it("counts the model calls of a Loop's items in the case's cost and the evaluation's", async () => {
  // $1 a call: one output token at $1 a token, and never more than one.
  await world.alias("paid", [{ modelId: "paid-model" }], { maxOutputTokens: 1 });
  world.llm.behave("paid-model", { kind: "answer", text: "word", usage: { prompt: 1, completion: 1 } });
  const { createWorkflow } = await import("../../lib/workflows/workflows");
  const { addCases } = await import("../../lib/evaluations/cases");
  const { saveSuite, getEvaluation } = await import("../../lib/evaluations/read-evaluations");
  const { startEvaluation } = await import("../../lib/evaluations/run-evaluation");
  const workflow = await createWorkflow(world.admin.workspace.id, world.admin.user.id, {
    name: "Words",
    description: "",
    graph,
  });
  await addCases(world.admin, workflow.id, [{ input: { numbers: [1, 2, 3] }, expected: ["word", "word", "word"] }]);
  await saveSuite(world.admin, workflow.id, { evaluators: [{ kind: "exact" }], gate: null });
  const { id } = await startEvaluation(world.admin, workflow.id, { on: "draft", concurrency: 1 });
  const done = await until(
    () => getEvaluation(world.admin.workspace.id, id),
    (e) => e.status !== "RUNNING",
  );
  expect(done.results[0]!.error).toBeNull();
  expect(done).toMatchObject({ status: "COMPLETED", passed: 1 });
  expect(done.results[0]!.costUsd).toBeCloseTo(3, 6);
  expect(done.costUsd).toBeCloseTo(3, 6);
});
