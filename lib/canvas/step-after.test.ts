import { describe, expect, it } from "vitest";
import { graph } from "../engine/graph/graph-builder.test-support";
import { editorReducer, initialEditorState, type EditorAction, type EditorState } from "./editor-state";
import type { NodeKind } from "../schemas/workflow";
import type { FlowNode } from "./flow-mapping";
import { spotAfter } from "./step-after";

const run = (state: EditorState, ...actions: EditorAction[]) => actions.reduce(editorReducer, state);
const add = (kind: NodeKind, after: string, parentId?: string): EditorAction => ({
  type: "addNode",
  kind,
  position: { x: 0, y: 0 },
  after,
  ...(parentId && { parentId }),
});
const edgesOf = (s: EditorState) => s.edges.map((e) => `${e.source}:${e.sourceHandle ?? "out"}>${e.target}`);

describe("a step added after the selected one", () => {
  it("is connected from it, in one history entry, and clicking on builds a chain", () => {
    const s = run(initialEditorState(graph().start("start").build()), add("agent", "start"), add("output", "agent_1"));
    expect(edgesOf(s)).toEqual(["start:out>agent_1", "agent_1:out>output_1"]);
    expect(s.nodes.find((n) => n.selected)?.id).toBe("output_1");
    expect(edgesOf(run(s, { type: "undo" }))).toEqual(["start:out>agent_1"]);
  });

  it("hangs on the first output with nothing after it yet, then the first again", () => {
    const g = graph()
      .start("start")
      .condition("check", [{ id: "yes", expression: "true" }])
      .edge("start", "check")
      .build();
    const s = run(initialEditorState(g), add("agent", "check"), add("agent", "check"), add("agent", "check"));
    expect(edgesOf(s).slice(1)).toEqual(["check:yes>agent_1", "check:else>agent_2", "check:yes>agent_3"]);
  });

  it("never hangs on the error branch of a step that has one", () => {
    const g = graph().start("start").agent("agent").output("out").chain("start", "agent", "out").build();
    g.nodes.find((n) => n.id === "agent")!.settings = { onError: "branch" };
    expect(edgesOf(run(initialEditorState(g), add("human-review", "agent"))).at(-1)).toBe("agent:out>human_review_1");
  });

  it("is not connected after a step that passes nothing on, nor when the new kind takes no input", () => {
    const s = run(initialEditorState(graph().start("start").output("out").build()), add("agent", "out"));
    expect(s.edges).toEqual([]);
    expect(run(s, add("note", "start")).edges).toEqual([]);
  });

  it("is connected only on the same level: inside the Loop its step is in", () => {
    const g = graph()
      .start("start")
      .node("loop", "each", { items: "{{nodes.start.output.items}}" })
      .agent("inner")
      .build();
    g.nodes.find((n) => n.id === "inner")!.parentId = "each";
    expect(edgesOf(run(initialEditorState(g), add("output", "inner", "each")))).toEqual(["inner:out>output_1"]);
    expect(run(initialEditorState(g), add("output", "inner")).edges).toEqual([]);
  });

  it("goes right of the step, and below a step already there", () => {
    const s = initialEditorState(graph().start("start").agent("agent").build());
    const at = (id: string, x: number): FlowNode => ({ ...s.nodes.find((n) => n.id === id)!, position: { x, y: 0 } });
    const start = at("start", 0);
    const there = at("agent", 300);
    expect(spotAfter(start, [start])).toEqual({ x: 300, y: 0 });
    expect(spotAfter(start, [start, there])).toMatchObject({ x: 300 });
    expect(spotAfter(start, [start, there]).y).toBeGreaterThan(100);
  });
});
