import { describe, expect, it } from "vitest";
import { validateGraph } from "../engine/graph/validate-graph";
import { workflowGraphSchema } from "../schemas/workflow";
import { workflowTemplates } from "./templates";

describe("workflow templates", () => {
  it.each(workflowTemplates.map((t) => [t.id, t] as const))(
    "%s is a valid graph with nothing to fix",
    (_id, template) => {
      for (const g of [template.graph, ...template.specialists.map((s) => s.graph)]) {
        expect(workflowGraphSchema.safeParse(g).success).toBe(true);
        // Sub-workflow ids are placeholders ("@key") until the template is instantiated.
        expect(validateGraph(g)).toEqual([]);
      }
    },
  );
});
