import { describe, expect, it } from "vitest";
import { validateGraph } from "../engine/graph/validate-graph";
import { workflowGraphSchema } from "../schemas/workflow";
import { demoWorkflow } from "./demo-workflow";

describe("the demo workflow", () => {
  it("is a valid graph with nothing to fix, so a new workspace can publish and run it", () => {
    expect(workflowGraphSchema.safeParse(demoWorkflow.graph).success).toBe(true);
    expect(validateGraph(demoWorkflow.graph)).toEqual([]);
  });
});
