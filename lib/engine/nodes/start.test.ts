import { describe, expect, it } from "vitest";
import { graph } from "../graph/graph-builder.test-support";
import { runWorkflow } from "../run/run-workflow";
import { memoryPorts } from "../testing/memory-ports";

const never = new AbortController().signal;

//  start (topic: text, required; count: number, optional) ──> out
const g = graph()
  .start("start", {
    fields: [
      { name: "topic", type: "string", required: true, description: "" },
      { name: "count", type: "number", required: false, description: "" },
    ],
  })
  .output("out", "{{nodes.start.output}}")
  .chain("start", "out")
  .build();
const run = (input: Record<string, unknown>) =>
  runWorkflow({ runId: "r1", graph: g, input, depth: 0 }, memoryPorts().ports, never);

describe("the Start step", () => {
  it("outputs the declared input", async () => {
    expect(await run({ topic: "moss", count: 3 })).toEqual({
      status: "completed",
      output: { topic: "moss", count: 3 },
    });
  });

  it("fails naming every wrong field in one message", async () => {
    expect(await run({ count: "3" })).toMatchObject({
      status: "failed",
      error: "start failed: The run needs the input “topic”. Input “count” must be a number.",
    });
  });

  it("drops a key no field declares instead of failing (a retried test run may carry one into an edited draft)", async () => {
    expect(await run({ topic: "moss", colour: "red" })).toEqual({ status: "completed", output: { topic: "moss" } });
  });
});
