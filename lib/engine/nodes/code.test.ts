import { describe, expect, it } from "vitest";
import { nodeKindSpecs } from "../../schemas/node-kinds";
import { graph } from "../graph/graph-builder.test-support";
import type { CodeSandbox } from "../ports";
import { runWorkflow } from "../run/run-workflow";
import { memoryPorts } from "../testing/memory-ports";

const never = new AbortController().signal;

/** A sandbox that answers from a table, recording what it was asked (the real one is lib/sandbox's). */
function tableSandbox(answers: Record<string, Awaited<ReturnType<CodeSandbox["run"]>>>) {
  const calls: Parameters<CodeSandbox["run"]>[0][] = [];
  const sandbox: CodeSandbox = {
    async run(request) {
      calls.push(request);
      return answers[request.code] ?? { ok: false, error: "unknown code", logs: [] };
    },
  };
  return { sandbox, calls };
}

describe("code steps", () => {
  it("give the sandbox the run's input and earlier outputs and their limits; the value is the output, the console kept", async () => {
    //  start ──> shape ──> sum ──> out
    const { sandbox, calls } = tableSandbox({
      "return input.prices": { ok: true, value: [1, 2], logs: [] },
      "return { total: 3 }": { ok: true, value: { total: 3 }, logs: ["adding 2 prices"] },
    });
    const g = graph()
      .start("start")
      .code("shape", "return input.prices")
      .code("sum", "return { total: 3 }", { timeLimitSeconds: 0.5, memoryMb: 16 })
      .output("out", "total {{nodes.sum.output.total}}")
      .chain("start", "shape", "sum", "out")
      .build();
    const fake = memoryPorts({ code: sandbox });
    const result = await runWorkflow(
      { runId: "r1", graph: g, input: { input: "x", prices: [1, 2] }, depth: 0 },
      fake.ports,
      never,
    );
    expect(result).toEqual({ status: "completed", output: "total 3" });
    expect(calls[1]).toMatchObject({
      data: {
        input: { input: "x", prices: [1, 2] },
        nodes: { start: { output: { input: "x" } }, shape: { output: [1, 2] } },
      },
      timeoutMs: 500,
      memoryMb: 16,
    });
    expect(calls[0]).toMatchObject({ timeoutMs: 2000, memoryMb: 32 });
    const steps = await fake.store.steps("r1");
    expect(steps.find((s) => s.nodeId === "sum")).toMatchObject({ output: { total: 3 }, logs: ["adding 2 prices"] });
    expect(steps.find((s) => s.nodeId === "shape")?.logs).toBeUndefined();
    const completed = fake.store.events.find((e) => e.event.type === "step.completed" && e.event.nodeId === "sum");
    expect(completed?.event.payload).toMatchObject({ logs: ["adding 2 prices"] });
  });

  it("fail with the sandbox's reason and keep what the code logged before; the error branch can carry on", async () => {
    const { sandbox } = tableSandbox({
      "while (true) {}": { ok: false, error: "Stopped: the code ran past its time limit of 2 s", logs: ["starting"] },
    });
    //  start ──> spin ──error──> fallback
    const g = graph()
      .start("start")
      .code("spin", "while (true) {}")
      .output("fallback", "fell back: {{nodes.spin.output.error}}")
      .edge("start", "spin")
      .edge("spin", "fallback", "error")
      .build();
    g.nodes.find((n) => n.id === "spin")!.settings = { onError: "branch" };
    const fake = memoryPorts({ code: sandbox });
    const result = await runWorkflow({ runId: "r1", graph: g, input: { input: "x" }, depth: 0 }, fake.ports, never);
    expect(result).toEqual({
      status: "completed",
      output: "fell back: JavaScript: Stopped: the code ran past its time limit of 2 s",
    });
    expect((await fake.store.steps("r1")).find((s) => s.nodeId === "spin")).toMatchObject({
      status: "failed",
      error: "JavaScript: Stopped: the code ran past its time limit of 2 s",
      logs: ["starting"],
    });
  });

  it("offer the keys of the object the code returns last as output fields", () => {
    const fields = (code: string) => nodeKindSpecs.code.outputFields({ code, timeLimitSeconds: 2, memoryMb: 32 });
    expect(
      fields("const total = 1;\nreturn { total, items: input.items.map((i) => ({ no: i })), 'quoted': 1, n: f(a, b) }"),
    ).toEqual(["total", "items", "n"]);
    expect(fields("return { early: 1 };\nreturn { late: 2 }")).toEqual(["late"]);
    expect(fields("return input.items")).toEqual([]);
  });
});
