import { describe, expect, it } from "vitest";
import { graph } from "../engine/graph/graph-builder.test-support";
import {
  editorReducer,
  graphOf,
  initialEditorState,
  selectionGraph,
  type EditorAction,
  type EditorState,
} from "./editor-state";
import { fromFlow, toFlow } from "./flow-mapping";

const run = (state: EditorState, ...actions: EditorAction[]) => actions.reduce(editorReducer, state);

//  start ──> agent ──> out
const line = () => graph().start("start").agent("agent").output("out").chain("start", "agent", "out").build();

describe("canvas ↔ stored graph", () => {
  it("round-trips a graph, branch handles included", () => {
    const g = graph()
      .start("start")
      .condition("check", [{ id: "yes", expression: "true" }])
      .output("a")
      .output("b")
      .edge("start", "check")
      .edge("check", "a", "yes")
      .edge("check", "b", "else")
      .node("note", "n1", { text: "remember" })
      .build();
    const flow = toFlow(g);
    expect(flow.nodes.find((n) => n.id === "n1")?.type).toBe("note");
    expect(fromFlow(flow.nodes, flow.edges)).toEqual(g);
  });
});

describe("editor history", () => {
  it("undoes and redoes adding a node", () => {
    const s = run(initialEditorState(line()), { type: "addNode", kind: "agent", position: { x: 10, y: 10 } });
    expect(s.nodes.map((n) => n.id)).toContain("agent_1");
    const undone = run(s, { type: "undo" });
    expect(graphOf(undone)).toEqual(line());
    expect(run(undone, { type: "redo" }).nodes.map((n) => n.id)).toContain("agent_1");
  });

  it("records a whole drag as one step back to where it started", () => {
    const s = run(
      initialEditorState(line()),
      { type: "nodesChange", changes: [{ type: "position", id: "agent", position: { x: 50, y: 50 }, dragging: true }] },
      { type: "nodesChange", changes: [{ type: "position", id: "agent", position: { x: 90, y: 90 }, dragging: true }] },
      {
        type: "nodesChange",
        changes: [{ type: "position", id: "agent", position: { x: 100, y: 100 }, dragging: false }],
      },
    );
    expect(s.past).toHaveLength(1);
    expect(graphOf(run(s, { type: "undo" }))).toEqual(line());
  });

  it("coalesces typing in one field into one step, but not edits far apart in time", () => {
    const type = (text: string, at: number): EditorAction => ({
      type: "updateNode",
      id: "agent",
      config: { ...line().nodes[1]!.config, instructions: text },
      at,
    });
    const s = run(initialEditorState(line()), type("H", 1000), type("He", 1300), type("Hey", 1600));
    expect(s.past).toHaveLength(1);
    expect(run(s, type("Hey!", 9000)).past).toHaveLength(2);
  });

  it("does not record selection", () => {
    const s = run(initialEditorState(line()), { type: "select", nodeIds: ["agent"] });
    expect(s.past).toHaveLength(0);
  });

  it("removes a node with its edges, and a new edit clears redo", () => {
    let s = run(initialEditorState(line()), { type: "remove", nodeIds: ["agent"] });
    expect(graphOf(s).edges).toEqual([]);
    s = run(s, { type: "undo" }, { type: "addNode", kind: "note", position: { x: 0, y: 0 } });
    expect(s.future).toHaveLength(0);
  });

  it("pastes a copied selection under fresh ids, with the edges between copied nodes", () => {
    let s = run(initialEditorState(line()), { type: "select", nodeIds: ["agent", "out"] });
    const copied = selectionGraph(s);
    s = run(s, { type: "paste", graph: copied, offset: { x: 40, y: 40 } });
    const g = graphOf(s);
    expect(g.nodes.map((n) => n.id)).toEqual(["start", "agent", "out", "agent_1", "output_1"]);
    expect(g.edges.at(-1)).toMatchObject({ source: "agent_1", target: "output_1" });
    expect(s.nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(["agent_1", "output_1"]);
  });

  it("refuses self-loops and duplicate connections", () => {
    const s = initialEditorState(line());
    expect(
      run(s, {
        type: "connect",
        connection: { source: "agent", target: "agent", sourceHandle: null, targetHandle: null },
      }),
    ).toBe(s);
    expect(
      run(s, {
        type: "connect",
        connection: { source: "start", target: "agent", sourceHandle: null, targetHandle: null },
      }),
    ).toBe(s);
  });
});

describe("putting a step on a connection", () => {
  const g = () => {
    const built = graph().start("start").agent("agent").output("out").chain("start", "agent", "out").build();
    const out = built.nodes.find((n) => n.id === "out")!;
    out.config = { ...out.config, value: "{{nodes.agent.output.text}}" };
    return built;
  };
  const edgeId = (s: EditorState, source: string, target: string) =>
    s.edges.find((e) => e.source === source && e.target === target)!.id;

  it("splits the connection, rewires what the later step reads, and is one undo", () => {
    const s0 = initialEditorState(g());
    const s = run(s0, { type: "insertOnEdge", edgeId: edgeId(s0, "agent", "out"), kind: "human-review" });
    const after = graphOf(s);
    const review = after.nodes.find((n) => n.kind === "human-review")!;
    expect(after.edges.map((e) => [e.source, e.sourceHandle ?? null, e.target])).toEqual(
      expect.arrayContaining([
        ["agent", null, review.id],
        [review.id, "approved", "out"],
      ]),
    );
    expect(after.edges.some((e) => e.source === "agent" && e.target === "out")).toBe(false);
    expect(after.nodes.find((n) => n.id === "out")!.config.value).toBe(`{{nodes.${review.id}.output.text}}`);
    expect(s.nodes.find((n) => n.id === review.id)!.selected).toBe(true);
    // The later steps moved right to make room; nothing overlaps.
    const x = (id: string) => after.nodes.find((n) => n.id === id)!.position.x;
    expect(x("agent")).toBeLessThan(x(review.id));
    expect(x(review.id)).toBeLessThan(x("out"));
    expect(graphOf(run(s, { type: "undo" }))).toEqual(graphOf(s0));
  });

  it("refuses kinds that cannot sit between two steps", () => {
    const s0 = initialEditorState(g());
    const id = edgeId(s0, "start", "agent");
    expect(run(s0, { type: "insertOnEdge", edgeId: id, kind: "start" })).toBe(s0);
    expect(run(s0, { type: "insertOnEdge", edgeId: id, kind: "note" })).toBe(s0);
    expect(run(s0, { type: "insertOnEdge", edgeId: "nope", kind: "agent" })).toBe(s0);
  });

  it("does not record a second history entry when a deleted step's connections are reported removed", () => {
    const s0 = initialEditorState(g());
    const s1 = run(s0, { type: "nodesChange", changes: [{ type: "remove", id: "agent" }] });
    const s2 = run(s1, {
      type: "edgesChange",
      changes: s0.edges
        .filter((e) => e.source === "agent" || e.target === "agent")
        .map((e) => ({ type: "remove" as const, id: e.id })),
    });
    expect(s2.past.length).toBe(s1.past.length);
    expect(graphOf(run(s2, { type: "undo" }))).toEqual(graphOf(s0));
  });
});

describe("a Loop's body on the canvas", () => {
  //  start ──> each (loop) ──> out, with "inner" (an agent) drawn inside "each"
  const withLoop = () => {
    const g = graph()
      .start("start")
      .node("loop", "each")
      .output("out")
      .agent("inner")
      .chain("start", "each", "out")
      .build();
    g.nodes.find((n) => n.id === "inner")!.parentId = "each";
    g.nodes.find((n) => n.id === "each")!.size = { width: 700, height: 400 };
    return g;
  };

  it("round-trips the steps inside and the Loop's size, a parent before what is inside it", () => {
    const g = withLoop();
    const flow = toFlow({ ...g, nodes: [...g.nodes].reverse() });
    const order = flow.nodes.map((n) => n.id);
    expect(order.indexOf("each")).toBeLessThan(order.indexOf("inner"));
    expect(flow.nodes.find((n) => n.id === "each")).toMatchObject({ width: 700, height: 400 });
    const back = fromFlow(flow.nodes, flow.edges);
    expect(back.nodes.find((n) => n.id === "inner")?.parentId).toBe("each");
    expect(back.nodes.find((n) => n.id === "each")?.size).toEqual({ width: 700, height: 400 });
  });

  it("moving a step into a Loop drops its connections across the Loop's edge, with a notice; undo brings them back", () => {
    const s = run(initialEditorState(withLoop()), {
      type: "setParent",
      id: "out",
      parentId: "each",
      position: { x: 20, y: 100 },
    });
    expect(graphOf(s).nodes.find((n) => n.id === "out")).toMatchObject({
      parentId: "each",
      position: { x: 20, y: 100 },
    });
    expect(s.edges.map((e) => `${e.source}>${e.target}`)).toEqual(["start>each"]);
    expect(s.notices?.[0]?.message).toMatch(/1 connection of out crossed the loop's edge and was removed/);
    expect(run(s, { type: "undo" }).edges).toHaveLength(2);
    // Never into itself.
    expect(run(s, { type: "setParent", id: "each", parentId: "each", position: { x: 0, y: 0 } })).toBe(s);
  });

  it("refuses a connection across a Loop's edge, keeps a moved Loop before its steps, and copies a Loop with its body", () => {
    let s = initialEditorState(withLoop());
    const refused = run(s, {
      type: "connect",
      connection: { source: "start", target: "inner", sourceHandle: null, targetHandle: null },
    });
    expect(refused.edges).toHaveLength(s.edges.length);
    expect(refused.notices?.[0]?.message).toMatch(/steps inside a loop connect only to each other/);
    // A second Loop; the first (with its step) moves into it.
    s = run(s, { type: "addNode", kind: "loop", position: { x: 0, y: 600 } });
    s = run(s, { type: "setParent", id: "each", parentId: "loop_1", position: { x: 20, y: 100 } });
    const order = s.nodes.map((n) => n.id);
    expect(order.indexOf("loop_1")).toBeLessThan(order.indexOf("each"));
    expect(order.indexOf("each")).toBeLessThan(order.indexOf("inner"));
    s = run(s, { type: "select", nodeIds: ["each"] });
    expect(
      selectionGraph(s)
        .nodes.map((n) => n.id)
        .sort(),
    ).toEqual(["each", "inner"]);
  });

  it("deleting a Loop deletes the steps inside it", () => {
    const s = run(initialEditorState(withLoop()), { type: "remove", nodeIds: ["each"] });
    expect(s.nodes.map((n) => n.id)).toEqual(["start", "out"]);
  });
});

describe("pasting steps that were inside a Loop", () => {
  it("keeps them inside a Loop this workflow has, and lets them out where it has none", () => {
    const inner = {
      id: "inner",
      kind: "agent" as const,
      label: "inner",
      position: { x: 20, y: 100 },
      config: {},
      parentId: "each",
    };
    const withLoop = graph().start("start").node("loop", "each").build();
    let s = run(initialEditorState(withLoop), {
      type: "paste",
      graph: { nodes: [inner], edges: [] },
      offset: { x: 40, y: 40 },
    });
    expect(graphOf(s).nodes.find((n) => n.id === "inner")?.parentId).toBe("each");
    s = run(initialEditorState(line()), {
      type: "paste",
      graph: { nodes: [inner], edges: [] },
      offset: { x: 40, y: 40 },
    });
    expect(graphOf(s).nodes.find((n) => n.id === "inner")).not.toHaveProperty("parentId");
  });
});

describe("a step's outputs renamed or removed in its form", () => {
  //  start ──> check ──yes──> a
  //                 └─no───> b
  const branched = () =>
    graph()
      .start("start")
      .condition("check", [
        { id: "yes", expression: "true" },
        { id: "no", expression: "false" },
      ])
      .output("a")
      .output("b")
      .edge("start", "check")
      .edge("check", "a", "yes")
      .edge("check", "b", "no")
      .build();
  const branches = (...ids: string[]): Extract<EditorAction, { type: "updateNode" }> => ({
    type: "updateNode",
    id: "check",
    config: { branches: ids.map((id) => ({ id, expression: "true" })) },
    at: 1000,
  });
  const handles = (s: EditorState) =>
    graphOf(s)
      .edges.filter((e) => e.source === "check")
      .map((e) => `${e.sourceHandle}->${e.target}`)
      .sort();

  it("keeps a branch's connection when its name is typed over, through an empty name, and undo takes it back", () => {
    const typed = ["ye", "y", "", "r", "re", "refund"].map((name) => branches(name, "no"));
    const s = run(initialEditorState(branched()), ...typed);
    expect(handles(s)).toEqual(["no->b", "refund->a"]);
    // The stored graph names the new branch on its connection, under an id of its own.
    expect(graphOf(s).edges.find((e) => e.sourceHandle === "refund")?.id).toBe("e_check_refund_a");
    expect(handles(run(s, { type: "undo" }))).toEqual(["no->b", "yes->a"]);
  });

  it("drops a removed branch's connections, keeps the others', and keeps them all when a branch is added", () => {
    expect(handles(run(initialEditorState(branched()), branches("yes")))).toEqual(["yes->a"]);
    expect(handles(run(initialEditorState(branched()), branches("yes", "no", "maybe")))).toEqual(["no->b", "yes->a"]);
  });

  it("keeps each connection with its branch when a name is typed through another branch's name", () => {
    // "normal" typed over "yes" passes through "no", the other branch's name, for a keystroke.
    const typed = ["", "n", "no", "nor", "norm", "normal"].map((name) => branches(name, "no"));
    const s = run(initialEditorState(branched()), ...typed);
    expect(handles(s)).toEqual(["no->b", "normal->a"]);
    // Through the name of the error branch: the real error branch keeps its connection.
    const withError = run(
      initialEditorState(branched()),
      { type: "updateNode", id: "check", settings: { onError: "branch" }, at: 1 },
      { type: "connect", connection: { source: "check", sourceHandle: "error", target: "b", targetHandle: null } },
      ...["", "e", "er", "err", "erro", "error", "error_", "error_rate"].map((name) => branches(name, "no")),
    );
    expect(handles(withError)).toEqual(["error->b", "error_rate->a", "no->b"]);
    expect(new Set(withError.edges.map((e) => e.id)).size).toBe(withError.edges.length);
  });

  it("moves the connections after a branch removed from the middle, and takes the error branch's when it is turned off", () => {
    //  check: yes ─> a, no ─> b, maybe ─> c; then "no" removed
    let s = run(initialEditorState(branched()), branches("yes", "no", "maybe"), {
      type: "addNode",
      kind: "output",
      position: { x: 600, y: 300 },
    });
    const c = s.nodes.at(-1)!.id;
    s = run(s, {
      type: "connect",
      connection: { source: "check", sourceHandle: "maybe", target: c, targetHandle: null },
    });
    s = run(s, { ...branches("yes", "maybe"), at: 9000 });
    expect(handles(s)).toEqual([`maybe->${c}`, "yes->a"]);
    s = run(s, { ...branches("yes", "perhaps"), at: 9100 });
    expect(handles(s)).toEqual([`perhaps->${c}`, "yes->a"]);
    s = run(
      s,
      { type: "updateNode", id: "check", settings: { onError: "branch" }, at: 9200 },
      { type: "connect", connection: { source: "check", sourceHandle: "error", target: "b", targetHandle: null } },
      { type: "updateNode", id: "check", settings: {}, at: 9300 },
    );
    expect(handles(s)).toEqual([`perhaps->${c}`, "yes->a"]);
  });
});
