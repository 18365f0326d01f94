import { describe, expect, it } from "vitest";
import { nodeKinds, type NodeKind } from "../schemas/workflow";
import { specOf } from "../schemas/node-kinds";
import { outputsOf } from "../schemas/node-kinds/outputs";
import { estimatedBox } from "./estimated-box";
import type { FlowNode } from "./flow-mapping";

const step = (kind: NodeKind, config = specOf(kind).defaultConfig, extra: Partial<FlowNode> = {}): FlowNode => ({
  id: `${kind}_1`,
  type: kind === "note" ? "note" : "workflow",
  position: { x: 0, y: 0 },
  data: { kind, label: "", config: config as Record<string, unknown> },
  ...extra,
});

describe("a step's size and handles before it is drawn", () => {
  it("has a handle for each of the step's outputs, by id, and an input where the kind takes one", () => {
    // A connection from a handle the estimate lacks would not be drawn at all.
    for (const kind of nodeKinds) {
      const node = step(kind);
      const { handles, measured } = estimatedBox(node);
      expect(measured.width, kind).toBeGreaterThan(0);
      expect(measured.height, kind).toBeGreaterThan(0);
      if (kind === "note") {
        expect(handles).toEqual([]);
        continue;
      }
      expect(handles.filter((h) => h.type === "source").map((h) => h.id)).toEqual(
        outputsOf(node.data).map((o) => o.id),
      );
      expect(handles.filter((h) => h.type === "target")).toHaveLength(specOf(kind).hasInput ? 1 : 0);
    }
  });

  it("lists a Condition's branches and an error branch one below the other, inside the step", () => {
    const node = step("condition", {
      branches: [
        { id: "high", expression: "true" },
        { id: "low", expression: "false" },
      ],
    });
    const { handles, measured } = estimatedBox({
      ...node,
      data: { ...node.data, settings: { onError: "branch" } },
    });
    const sources = handles.filter((h) => h.type === "source");
    expect(sources.map((h) => h.id)).toEqual(["high", "low", "else", "error"]);
    const ys = sources.map((h) => h.y);
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
    expect(new Set(ys).size).toBe(4);
    expect(ys.at(-1)! + 16).toBeLessThanOrEqual(measured.height);
    // Taller than a step with one output.
    expect(measured.height).toBeGreaterThan(estimatedBox(step("agent")).measured.height);
  });

  it("is never a size React Flow measures, so the first real measurement is reported as a change", () => {
    for (const kind of nodeKinds) {
      const { measured } = estimatedBox(step(kind));
      expect(Number.isInteger(measured.height), kind).toBe(false);
    }
  });

  it("takes a Loop's own size, its handles beside its header", () => {
    const { measured, handles } = estimatedBox(step("loop", specOf("loop").defaultConfig, { width: 800, height: 500 }));
    expect(measured.width).toBe(800);
    expect(Math.floor(measured.height)).toBe(500);
    expect(handles.every((h) => h.y < 60)).toBe(true);
  });
});
