import { describe, expect, it } from "vitest";
import { graph } from "../graph/graph-builder.test-support";
import { validateGraph } from "../graph/validate-graph";
import { runWorkflow } from "../run/run-workflow";
import { memoryPorts } from "../testing/memory-ports";
import { nodeKindSpecs } from "../../schemas/node-kinds";

const never = new AbortController().signal;
const run = (g: ReturnType<ReturnType<typeof graph>["build"]>, input: Record<string, unknown>) => {
  const fake = memoryPorts();
  return { fake, result: runWorkflow({ runId: "r1", graph: g, input, depth: 0 }, fake.ports, never) };
};

describe("transform steps", () => {
  it("builds their output from the run's input and earlier steps, and later steps read its fields", async () => {
    //  start ──> research ──> shape ──> out
    const g = graph()
      .start("start")
      .agent("research", "About {{nodes.start.output.input}}")
      .transform(
        "shape",
        '{ "topic": $uppercase(input.input), "summary": nodes.research.output.text, "total": $sum(input.prices) }',
      )
      .output("out", "{{nodes.shape.output.topic}}: {{nodes.shape.output.total}}")
      .chain("start", "research", "shape", "out")
      .build();
    const { fake, result } = run(g, { input: "cats", prices: [1.5, 2, 3] });
    expect(await result).toEqual({ status: "completed", output: "CATS: 6.5" });
    const step = (await fake.store.steps("r1")).find((s) => s.nodeId === "shape")!;
    expect(step.output).toEqual({ topic: "CATS", summary: "echo: About cats", total: 6.5 });
    // Its input is what the mapping read: the run's input and the research step, not the Start.
    expect(step.input).toEqual({
      nodes: { research: { output: expect.objectContaining({ text: "echo: About cats" }) } },
      input: { input: "cats", prices: [1.5, 2, 3] },
    });
    expect(fake.modelCalls).toHaveLength(1); // a transform calls no model
  });

  it("fails the step naming the mapping's error, and the run with it", async () => {
    const g = graph()
      .start("start")
      .transform("shape", "$number(input.input)")
      .output("out")
      .chain("start", "shape", "out")
      .build();
    const { fake, result } = run(g, { input: "not a number" });
    expect((await result).status).toBe("failed");
    expect((await fake.store.steps("r1")).find((s) => s.nodeId === "shape")).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/^Mapping: .*number/i),
    });
  });

  it("stops a mapping past the expression limits, saying which", async () => {
    const g = graph()
      .start("start")
      .transform("shape", "[1..100000000]")
      .output("out")
      .chain("start", "shape", "out")
      .build();
    const { fake, result } = run(g, { input: "x" });
    expect((await result).status).toBe("failed");
    expect((await fake.store.steps("r1")).find((s) => s.nodeId === "shape")?.error).toMatch(/10,000 items/);
  });

  it("is checked before it runs: a mapping that does not parse, or reads a later step, is a problem on its field", () => {
    const g = graph()
      .start("start")
      .transform("shape", '{ "a": nodes.out.output }')
      .transform("broken", "{ ")
      .output("out")
      .chain("start", "shape", "broken", "out")
      .build();
    expect(validateGraph(g)).toEqual([
      expect.objectContaining({ code: "reference", nodeId: "shape", field: "expression" }),
      expect.objectContaining({ code: "expression", nodeId: "broken", field: "expression" }),
    ]);
  });

  it("offers the keys of the object a mapping builds as output fields", () => {
    const fields = (expression: string) => nodeKindSpecs.transform.outputFields({ expression });
    expect(fields('{ "customer": nodes.a.output.name, "total": $sum(input.x), "nested": { "no": 1 } }')).toEqual([
      "customer",
      "total",
      "nested",
    ]);
    expect(fields("input.items")).toEqual([]);
    expect(fields("{ ")).toEqual([]);
  });
});
