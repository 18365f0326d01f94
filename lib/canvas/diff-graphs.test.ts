import { describe, expect, it } from "vitest";
import { graph } from "../engine/graph/graph-builder.test-support";
import { diffGraphs, noDifference } from "./diff-graphs";

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
      nodes: {
        start: { label: "start", kind: "start" },
        a: { label: "a", kind: "agent" },
        b: { label: "b", kind: "agent" },
        out: { label: "out", kind: "output" },
      },
    });
  });

  it("counts a step's settings and its moving into a Loop as changes, and moving it on the canvas as none", () => {
    const v1 = graph().start("start").node("loop", "loop").agent("a").chain("start", "loop").build();
    const same = structuredClone(v1);
    same.nodes[2]!.position = { x: 5, y: 5 };
    same.nodes[1]!.size = { width: 900, height: 500 };
    expect(noDifference(diffGraphs(v1, same))).toBe(true);
    const draft = structuredClone(v1);
    draft.nodes[2]!.settings = { retries: 2 };
    draft.nodes[2]!.parentId = "loop";
    const d = diffGraphs(v1, draft);
    expect(d.changed).toEqual([{ id: "a", fields: ["settings.retries", "parentId"] }]);
    expect(noDifference(d)).toBe(false);
  });
});
