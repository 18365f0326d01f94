import { describe, expect, it } from "vitest";
import { graph } from "../engine/graph/graph-builder.test-support";
import { diffGraphs } from "./diff-graphs";

describe("diffGraphs", () => {
  it("lists added, removed and changed nodes with their changed fields, and edge changes", () => {
    //  v1: start ──> a ──> out         draft: start ──> a' ──> b ──> out
    const v1 = graph().start("start").agent("a", "old").output("out").chain("start", "a", "out").build();
    const draft = graph()
      .start("start")
      .agent("a", "new")
      .agent("b")
      .output("out")
      .chain("start", "a", "b", "out")
      .build();
    draft.nodes[0]!.position = { x: 999, y: 999 }; // moving is not a change
    expect(diffGraphs(v1, draft)).toEqual({
      added: ["b"],
      removed: [],
      changed: [{ id: "a", fields: ["instructions"] }],
      edgesAdded: ["a:→b", "b:→out"],
      edgesRemoved: ["a:→out"],
    });
  });
});
