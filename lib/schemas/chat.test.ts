import { describe, expect, it } from "vitest";
import { answerText, answeringAgents, conversationBefore } from "./chat";
import type { WorkflowGraph } from "./workflow";

describe("answerText", () => {
  it("takes a text as it is, an object's answer field or only text, and anything else as JSON", () => {
    expect(answerText("Hello")).toBe("Hello");
    expect(answerText({ text: "From an agent", usage: {} })).toBe("From an agent");
    expect(answerText({ reply: "A reply", score: 3 })).toBe("A reply");
    expect(answerText({ summary: "The only text" })).toBe("The only text");
    expect(answerText({ a: "one", b: "two" })).toBe('{\n  "a": "one",\n  "b": "two"\n}');
    expect(answerText([1, 2])).toBe("[\n  1,\n  2\n]");
    expect(answerText(null)).toBe("");
    expect(answerText(42)).toBe("42");
  });
});

describe("conversationBefore", () => {
  const turns = [
    { message: "one", answer: "1" },
    { message: "two", answer: null },
    { message: "three", answer: "3" },
  ];
  it("keeps the last turns as messages, a turn without an answer as its message alone", () => {
    expect(conversationBefore(turns, { memory: "window", windowTurns: 2 }, "ignored")).toEqual({
      summary: "",
      messages: [
        { role: "user", content: "two" },
        { role: "user", content: "three" },
        { role: "assistant", content: "3" },
      ],
    });
  });
  it("hands over the summary only when the chat keeps one", () => {
    expect(conversationBefore([], { memory: "summary", windowTurns: 5 }, "Ada likes kelp.")).toEqual({
      summary: "Ada likes kelp.",
      messages: [],
    });
  });
});

describe("answeringAgents", () => {
  const node = (id: string, kind: string, parentId?: string) => ({
    id,
    kind,
    label: id,
    position: { x: 0, y: 0 },
    config: {},
    ...(parentId ? { parentId } : {}),
  });
  const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, target });
  it("streams the agents connected to an Output directly or through Conditions, never an earlier one", () => {
    const graph = {
      nodes: [
        node("start", "start"),
        node("research", "agent"),
        node("writer", "agent"),
        node("route", "condition"),
        node("out", "output"),
      ],
      edges: [edge("start", "research"), edge("research", "writer"), edge("writer", "route"), edge("route", "out")],
    } as unknown as WorkflowGraph;
    expect([...answeringAgents(graph)]).toEqual(["writer"]);
  });
  it("never streams past a step that decides or changes what the person sees", () => {
    for (const gate of ["human-review", "guardrail", "transform", "code"]) {
      const graph = {
        nodes: [node("start", "start"), node("writer", "agent"), node("gate", gate), node("out", "output")],
        edges: [edge("start", "writer"), edge("writer", "gate"), edge("gate", "out")],
      } as unknown as WorkflowGraph;
      expect(answeringAgents(graph).size, gate).toBe(0);
    }
  });
  it("finds none when no agent answers, and ignores Outputs inside a Loop's body", () => {
    const graph = {
      nodes: [
        node("start", "start"),
        node("loop", "loop"),
        node("inner", "agent", "loop"),
        node("end", "output", "loop"),
      ],
      edges: [edge("start", "loop"), edge("inner", "end")],
    } as unknown as WorkflowGraph;
    expect(answeringAgents(graph).size).toBe(0);
  });
});
