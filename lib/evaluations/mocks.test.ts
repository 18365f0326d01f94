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

  it("runs a Loop whose steps inside only compute; answers a Loop whole when a step inside it (at any depth) reaches outside, naming that step", () => {
    //  start ─> sums (loop) ─> fetches (loop) ─> calls (loop over a published workflow) ─> out
    //  inside sums: add ─> r1;  inside fetches: inner (loop) ─> r2, and inside inner: get (http) ─> r3
    const built = graph()
      .start("start")
      .node("loop", "sums", {})
      .node("loop", "fetches", {})
      .node("loop", "calls", { workflowId: "wf_other" })
      .output("out")
      .chain("start", "sums", "fetches", "calls", "out")
      .transform("add", "1 + 1")
      .output("r1")
      .node("loop", "inner", {})
      .output("r2")
      .node("http", "get", { method: "GET", url: "https://example.test" })
      .output("r3")
      .chain("add", "r1")
      .chain("inner", "r2")
      .chain("get", "r3")
      .build();
    const inside: Record<string, string> = { add: "sums", r1: "sums", inner: "fetches", r2: "fetches", get: "inner" };
    for (const n of built.nodes) if (inside[n.id]) n.parentId = inside[n.id];
    const { steps } = standInsFor(built, [], {}, { policy: "recorded", decisions: {} });
    expect(steps).toEqual({
      fetches: {
        as: "refused",
        reason:
          "Not run: evaluations never reach outside, and nothing answers the Loop step “fetches”: the HTTP Request step “get” inside it reaches outside. Take the case from a run that went through it.",
      },
      calls: {
        as: "refused",
        reason:
          "Not run: evaluations never reach outside, and nothing answers the Loop step “calls”. Take the case from a run that went through it.",
      },
    });
  });
});
