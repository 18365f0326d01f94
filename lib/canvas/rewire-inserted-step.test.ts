import { describe, expect, it } from "vitest";
import { graph } from "../engine/graph/graph-builder.test-support";
import { nodeKindSpecs } from "../schemas/node-kinds";
import type { WorkflowGraph } from "../schemas/workflow";
import { editorReducer, graphOf, initialEditorState } from "./editor-state";
import { rewireInsertedStep } from "./rewire-inserted-step";

const review = (content = "") => ({ ...nodeKindSpecs["human-review"].defaultConfig, content });
const configOf = (g: WorkflowGraph, id: string) => g.nodes.find((n) => n.id === id)!.config;

//  start ──> draft ──> out          (out reads {{nodes.draft.output.text}})
//                 check (a new step, not connected yet)
const base = (checkKind: "human-review" | "agent", content = "") => {
  const b = graph().start("start").agent("draft").output("out", "Answer: {{nodes.draft.output.text}}");
  if (checkKind === "human-review") b.node("human-review", "check", review(content));
  else b.agent("check", "Shorten {{nodes.draft.output.text}}");
  return b.chain("start", "draft").edge("draft", "check").build();
};

describe("putting a step between two", () => {
  it("rewires the later step to read a Human Review put before it, and gives the review the value to show", () => {
    //  draft ──> check ──(new)──> out
    const { graph: g, notices } = rewireInsertedStep(
      { ...base("human-review"), edges: [...base("human-review").edges, { id: "n", source: "check", target: "out" }] },
      { source: "check", target: "out" },
    );
    expect(configOf(g, "out").value).toBe("Answer: {{nodes.check.output.text}}");
    expect(configOf(g, "check").content).toBe("{{nodes.draft.output.text}}");
    expect(notices).toEqual([
      { tone: "info", message: expect.stringMatching(/^“out” now reads “check” instead of “draft”/) },
    ]);
  });

  it("rewires when the connection into the review comes last, too", () => {
    //  draft ──(new)──> check ──> out
    const g0 = graph()
      .start("start")
      .agent("draft")
      .node("human-review", "check", review("{{nodes.draft.output.text}}"))
      .output("out", "{{ nodes.draft.output.text }}")
      .chain("start", "draft")
      .edge("check", "out", "approved")
      .edge("draft", "check")
      .build();
    const { graph: g } = rewireInsertedStep(g0, { source: "draft", target: "check" });
    expect(configOf(g, "out").value).toBe("{{nodes.check.output.text}}");
  });

  it("warns, and changes nothing, when the step put between does not pass the value on", () => {
    const g0 = base("agent");
    const withEdge = { ...g0, edges: [...g0.edges, { id: "n", source: "check", target: "out" }] };
    const { graph: g, notices } = rewireInsertedStep(withEdge, { source: "check", target: "out" });
    expect(g).toBe(withEdge);
    expect(notices).toEqual([
      { tone: "warning", message: expect.stringMatching(/^“out” still reads “draft” directly, past “check”/) },
    ]);
  });

  it("warns when the review shows something else than what the later step reads", () => {
    const g0 = base("human-review", "Please check: {{nodes.draft.output.text}}");
    const withEdge = { ...g0, edges: [...g0.edges, { id: "n", source: "check", target: "out" }] };
    const { graph: g, notices } = rewireInsertedStep(withEdge, { source: "check", target: "out" });
    expect(configOf(g, "out").value).toBe("Answer: {{nodes.draft.output.text}}");
    expect(notices.map((n) => n.tone)).toEqual(["warning"]);
  });

  it("leaves a connection alone when the later step reads nothing from before", () => {
    //  start ──> draft ──> check ──(new)──> out   (out reads nothing)
    const g0 = graph()
      .start("start")
      .agent("draft")
      .node("human-review", "check", review())
      .output("out", "done")
      .chain("start", "draft", "check", "out")
      .build();
    expect(rewireInsertedStep(g0, { source: "check", target: "out" })).toEqual({ graph: g0, notices: [] });
  });

  it("is one step in the editor's history: undo puts the old connection and reference back", () => {
    const s0 = initialEditorState(base("human-review"));
    const s1 = editorReducer(s0, {
      type: "connect",
      connection: { source: "check", target: "out", sourceHandle: "approved", targetHandle: null },
    });
    expect(configOf(graphOf(s1), "out").value).toBe("Answer: {{nodes.check.output.text}}");
    expect(s1.notices?.[0]?.tone).toBe("info");
    const undone = editorReducer(s1, { type: "undo" });
    expect(graphOf(undone)).toEqual(graphOf(s0));
    expect(undone.notices).toBeUndefined();
  });
});
