import { describe, expect, it } from "vitest";
import { applyRunEvent, type LiveRun } from "./runs";

describe("the live view of a run", () => {
  it("folds stream events into step statuses, streamed text and the result", () => {
    const events = [
      { seq: 1, type: "run.started" },
      { seq: 2, type: "step.started", nodeId: "a" },
      { type: "step.delta", nodeId: "a", payload: { text: "Hel" } },
      { type: "step.delta", nodeId: "a", payload: { text: "lo" } },
      { seq: 3, type: "step.completed", nodeId: "a", payload: { output: { text: "Hello" } } },
      { seq: 4, type: "step.skipped", nodeId: "b" },
      { seq: 5, type: "run.completed", payload: { output: "Hello" } },
    ];
    const run = events.reduce<LiveRun>(applyRunEvent, { status: "connecting", steps: {} });
    expect(run).toEqual({
      status: "completed",
      output: "Hello",
      error: undefined,
      steps: {
        a: { status: "done", streamed: "Hello", output: { text: "Hello" } },
        b: { status: "skipped", streamed: "" },
      },
    });
  });
});
