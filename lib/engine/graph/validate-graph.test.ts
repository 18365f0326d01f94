import { describe, expect, it } from "vitest";
import { graph } from "./graph-builder.test-support";
import { validateGraph } from "./validate-graph";

const codes = (g: ReturnType<typeof validateGraph>) => g.map((p) => p.code);

describe("validateGraph", () => {
  it("accepts a straight line", () => {
    //  start ──> research ──> out
    const g = graph()
      .start("start")
      .agent("research", "Look up {{nodes.start.output.input}}")
      .output("out", "{{nodes.research.output.text}}")
      .chain("start", "research", "out")
      .build();
    expect(validateGraph(g)).toEqual([]);
  });

  it("asks for a Start node, and for only one", () => {
    expect(codes(validateGraph(graph().output("out").build()))).toContain("no-start");
    //  s1 ──> out <── s2
    const g = graph().start("s1").start("s2").output("out").edge("s1", "out").edge("s2", "out").build();
    expect(validateGraph(g)).toContainEqual(expect.objectContaining({ code: "many-starts", nodeId: "s2" }));
  });

  it("flags a node with no way in and a node that leads nowhere", () => {
    //  start ──> a        b ──> out
    const g = graph().start("start").agent("a").agent("b").output("out").edge("start", "a").edge("b", "out").build();
    const problems = validateGraph(g);
    expect(problems).toContainEqual(
      expect.objectContaining({ code: "unconnected", nodeId: "b", message: "b has no incoming connection." }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ code: "unconnected", nodeId: "a", message: expect.stringMatching(/a leads nowhere/) }),
    );
  });

  it("names the steps of a loop", () => {
    //  start ──> a ──> b ──> out
    //            ^─────┘
    const g = graph()
      .start("start")
      .agent("a")
      .agent("b")
      .output("out")
      .chain("start", "a", "b", "out")
      .edge("b", "a")
      .build();
    expect(validateGraph(g)).toContainEqual(
      expect.objectContaining({ code: "cycle", message: "These steps form a loop: a → b → a. Remove one connection." }),
    );
  });

  it("flags steps that no path from Start reaches", () => {
    //  start ──> out      a <──> b   (a loop cut off from start)
    const g = graph()
      .start("start")
      .output("out")
      .agent("a")
      .agent("b")
      .edge("start", "out")
      .edge("a", "b")
      .edge("b", "a")
      .build();
    expect(
      validateGraph(g)
        .filter((p) => p.code === "unreachable")
        .map((p) => p.nodeId)
        .sort(),
    ).toEqual(["a", "b"]);
  });

  it("names the field of a missing required setting", () => {
    const g = graph().start("start").agent("a", "").output("out").chain("start", "a", "out").build();
    expect(validateGraph(g)).toEqual([
      { code: "config", nodeId: "a", field: "instructions", message: "a: Write the agent's instructions" },
    ]);
  });

  it("flags references to unknown nodes and to nodes that run later", () => {
    //  start ──> a ──> b ──> out      (a refers to b, which runs after it)
    const g = graph()
      .start("start")
      .agent("a", "Use {{nodes.b.output.text}} and {{nodes.ghost.output.text}}")
      .agent("b")
      .output("out")
      .chain("start", "a", "b", "out")
      .build();
    const refs = validateGraph(g).filter((p) => p.code === "reference");
    expect(refs.map((p) => p.message)).toEqual([
      "a: {{nodes.b.output.text}} refers to “b”, which does not run before this step.",
      "a: {{nodes.ghost.output.text}} refers to a node that does not exist.",
    ]);
    expect(refs[0]).toMatchObject({ nodeId: "a", field: "instructions" });
  });

  it("flags a JSONata expression that does not parse, naming the branch", () => {
    //  start ──> check ─(ok)──> out
    //                  └(else)─> out2
    const g = graph()
      .start("start")
      .condition("check", [{ id: "ok", expression: "nodes.start.output.input = " }])
      .output("out")
      .output("out2")
      .edge("start", "check")
      .edge("check", "out", "ok")
      .edge("check", "out2", "else")
      .build();
    expect(validateGraph(g)).toEqual([
      expect.objectContaining({ code: "expression", nodeId: "check", field: "branches.0.expression" }),
    ]);
  });

  it("flags an edge from a branch the condition no longer has", () => {
    const g = graph()
      .start("start")
      .condition("check", [{ id: "ok", expression: "true" }])
      .output("out")
      .edge("start", "check")
      .edge("check", "out", "gone")
      .build();
    expect(codes(validateGraph(g))).toContain("handle");
  });

  it("ignores sticky notes", () => {
    const g = graph().start("start").output("out").node("note", "n1", { text: "hi" }).edge("start", "out").build();
    expect(validateGraph(g)).toEqual([]);
  });
});

describe("agent structured output", () => {
  it("accepts a JSON Schema object and refuses text that is not one", () => {
    const withSchema = (outputSchema: string) =>
      graph().start("start").agent("a", "Classify", { outputSchema }).output("out").chain("start", "a", "out").build();
    expect(validateGraph(withSchema('{"type":"object","properties":{"label":{"type":"string"}}}'))).toEqual([]);
    expect(validateGraph(withSchema("{not json"))).toEqual([
      expect.objectContaining({ code: "config", nodeId: "a", field: "outputSchema" }),
    ]);
    expect(validateGraph(withSchema("[1,2]"))).toHaveLength(1);
  });
});
