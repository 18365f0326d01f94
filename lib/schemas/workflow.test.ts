import { describe, expect, it } from "vitest";
import { workflowGraphSchema } from "./workflow";

const node = (id: string) => ({ id, kind: "agent" as const, label: id, position: { x: 0, y: 0 }, config: {} });

describe("workflow graph schema", () => {
  it("names a duplicated node id", () => {
    const result = workflowGraphSchema.safeParse({ nodes: [node("a"), node("a")], edges: [] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ["nodes", 1, "id"], message: 'Two nodes share the id "a"' });
  });

  it("names an edge that points nowhere", () => {
    //  a ──> ghost
    const result = workflowGraphSchema.safeParse({
      nodes: [node("a")],
      edges: [{ id: "e1", source: "a", target: "ghost" }],
    });
    expect(result.error?.issues[0]).toMatchObject({ path: ["edges", 0, "target"] });
    expect(result.error?.issues[0]?.message).toMatch(/ghost/);
  });

  it("refuses an unknown node kind", () => {
    expect(workflowGraphSchema.safeParse({ nodes: [{ ...node("a"), kind: "teleport" }], edges: [] }).success).toBe(
      false,
    );
  });
});
