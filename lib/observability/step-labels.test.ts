import { describe, expect, it } from "vitest";
import { demoWorkflow } from "../workflows/demo-workflow";
import { stepLabels } from "./step-labels";

describe("stepLabels", () => {
  it("names each step of a graph by its label, by node id", () => {
    const labels = stepLabels(demoWorkflow.graph);
    expect(labels.research).toBe("Research");
    expect(labels.approve).toBe("Approve brief");
  });

  it("falls back to the id for a step without a label", () => {
    const graph = {
      nodes: [{ id: "start", kind: "start", label: "", position: { x: 0, y: 0 }, config: { fields: [] } }],
      edges: [],
    };
    expect(stepLabels(graph)).toEqual({ start: "start" });
  });

  it("names nothing when the graph cannot be read", () => {
    expect(stepLabels({ nodes: "not a list" })).toEqual({});
    expect(stepLabels(null)).toEqual({});
  });
});
