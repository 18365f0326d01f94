import { describe, expect, it } from "vitest";
import { modelsUsed } from "./models-used";

describe("the models a graph names", () => {
  it("reads every model field of every kind: an Agent's model, a Guardrail's judge", () => {
    const graph = {
      nodes: [
        { id: "a", kind: "agent", label: "Research", config: { model: "fast", instructions: "x" } },
        { id: "g", kind: "guardrail", label: "Check", config: { judgeModel: "judge" } },
        { id: "h", kind: "guardrail", label: "No judge", config: { judgeModel: "" } },
        { id: "t", kind: "transform", label: "Shape", config: { model: "not a model field" } },
      ],
      edges: [],
    };
    expect(modelsUsed(graph)).toEqual([
      { label: "Research", model: "fast" },
      { label: "Check", model: "judge" },
    ]);
  });

  it("names none for a graph it cannot read", () => {
    expect(modelsUsed(null)).toEqual([]);
    expect(modelsUsed({ nodes: [{ kind: "nowhere" }] })).toEqual([]);
  });
});
