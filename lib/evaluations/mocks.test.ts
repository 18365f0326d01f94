import { describe, expect, it } from "vitest";
import { graph } from "../engine/graph/graph-builder.test-support";
import type { StepRecord } from "../engine/ports";
import { certainRefusal, standInsFor } from "./mocks";

//  start ─> write ─> check (review: approved / rejected / escalate) ─(approved)─> send (tool) ─> out
const g = graph()
  .start("start")
  .agent("write", "write")
  .node("human-review", "check", { instructions: "Check", content: "", outcomes: ["escalate"] })
  .node("tool", "send", { tool: "mail__send", arguments: [] })
  .node("http", "ping", { method: "GET", url: "https://example.test" })
  .output("out", "done")
  .chain("start", "write", "check")
  .edge("check", "send", "approved")
  .chain("send", "ping", "out")
  .build();

const done = (nodeId: string, output: unknown, handle: string | null = null): StepRecord => ({
  nodeId,
  kind: "tool",
  attempt: 1,
  status: "done",
  output,
  handle,
  startedAt: 1,
});

describe("standInsFor", () => {
  it("answers a step that reaches outside from the source run, else its pin, else refuses it by name", () => {
    const { steps } = standInsFor(
      g,
      [done("send", { text: "sent then" })],
      { ping: { status: 200 } },
      {
        policy: "recorded",
        decisions: {},
      },
    );
    expect(steps).toEqual({
      send: { as: "recorded", output: { text: "sent then" }, handle: null },
      ping: { as: "pinned", output: { status: 200 }, handle: null },
    });
    expect(standInsFor(g, [], {}, { policy: "recorded", decisions: {} }).steps.send).toEqual({
      as: "refused",
      reason: expect.stringMatching(/nothing answers the Tool step “send”/),
    });
  });

  it("refuses a case up front only when every run reaches a step nothing answers", () => {
    const reviews = { policy: "recorded" as const, decisions: {} };
    // "send" and "ping" come after the review's branch: the case may pass them by.
    expect(certainRefusal(g, standInsFor(g, [], {}, reviews))).toBeNull();
    //  start ─> save (tool) ─> out: every run reaches "save".
    const line = graph()
      .start("start")
      .node("tool", "save", { tool: "files__write", arguments: [] })
      .output("out")
      .chain("start", "save", "out")
      .build();
    expect(certainRefusal(line, standInsFor(line, [], {}, reviews))).toMatch(/nothing answers the Tool step “save”/);
    expect(certainRefusal(line, standInsFor(line, [], { save: {} }, reviews))).toBeNull();
  });

  it("decides a review as set for its step, else as the source run did, else by the policy", () => {
    const recorded = [done("check", { decision: "escalate", comment: "too hot", reviewer: "Rita" }, "escalate")];
    expect(standInsFor(g, recorded, {}, { policy: "recorded", decisions: {} }).reviews).toEqual({
      byNode: {
        check: {
          outcome: "escalate",
          comment: "too hot",
          by: "the evaluation (as Rita decided in the case's source run)",
        },
      },
      otherwise: { outcome: "approved", comment: null, by: "the evaluation (approve every review)" },
    });
    // A policy other than "recorded" ignores the source run's decision.
    expect(standInsFor(g, recorded, {}, { policy: "rejected", decisions: {} }).reviews).toEqual({
      byNode: {},
      otherwise: expect.objectContaining({ outcome: "rejected" }),
    });
    // A decision set for the step wins over both.
    expect(
      standInsFor(g, recorded, {}, { policy: "recorded", decisions: { check: "approved" } }).reviews?.byNode,
    ).toEqual({ check: { outcome: "approved", comment: null, by: "the evaluation (the decision set for this step)" } });
  });
});
