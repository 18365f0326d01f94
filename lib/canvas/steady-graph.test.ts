import { describe, expect, it } from "vitest";
import type { WorkflowGraph } from "@/lib/schemas/workflow";
import { sameGraph } from "./steady-graph";

const config = { model: "demo" };
const startConfig = { fields: [] };
const graph = (
  over: Partial<WorkflowGraph["nodes"][number]> = {},
  edges: WorkflowGraph["edges"] = [],
): WorkflowGraph => ({
  nodes: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: startConfig },
    { id: "a", kind: "agent", label: "Ask", position: { x: 200, y: 0 }, config, ...over },
  ],
  edges,
});

describe("sameGraph", () => {
  it("is true for a copy that shares the steps' config", () => {
    expect(sameGraph(graph(), graph())).toBe(true);
  });
  it("is false when a step moves, is renamed, gets a new config or size, or a connection changes", () => {
    expect(sameGraph(graph(), graph({ position: { x: 220, y: 0 } }))).toBe(false);
    expect(sameGraph(graph(), graph({ label: "Answer" }))).toBe(false);
    expect(sameGraph(graph(), graph({ config: { ...config } }))).toBe(false);
    expect(sameGraph(graph(), graph({ size: { width: 600, height: 400 } }))).toBe(false);
    expect(sameGraph(graph(), graph({ parentId: "loop_1" }))).toBe(false);
    expect(sameGraph(graph(), graph({ settings: { retries: 2 } as never }))).toBe(false);
    expect(sameGraph(graph(), graph({ kind: "transform" }))).toBe(false);
    const edge = { id: "e", source: "start", target: "a" };
    expect(sameGraph(graph({}, [edge]), graph({}, [{ ...edge, id: "f" }]))).toBe(false);
    expect(sameGraph(graph({}, [edge]), graph({}, [{ ...edge, target: "start" }]))).toBe(false);
    expect(sameGraph(graph(), graph({}, [{ id: "e", source: "start", target: "a" }]))).toBe(false);
    expect(
      sameGraph(
        graph({}, [{ id: "e", source: "start", target: "a" }]),
        graph({}, [{ id: "e", source: "start", target: "a", sourceHandle: "yes" }]),
      ),
    ).toBe(false);
  });
});
