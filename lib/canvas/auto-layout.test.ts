import { describe, expect, it } from "vitest";
import { graph } from "../engine/graph/graph-builder.test-support";
import type { WorkflowGraph } from "../schemas/workflow";
import { autoLayout, INSIDE, type Layout } from "./auto-layout";
import { LOOP_SIZE } from "./flow-mapping";

type Box = { id: string; left: number; top: number; right: number; bottom: number };

/** Every step's box on the canvas (a step inside a Loop from the Loop's corner), as laid out. */
function boxes(g: WorkflowGraph, layout: Layout, measured = new Map<string, { width: number; height: number }>()) {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const at = (id: string): { x: number; y: number } => {
    const p = layout.positions[id]!;
    const parent = byId.get(id)!.parentId;
    if (!parent) return p;
    const q = at(parent);
    return { x: q.x + p.x, y: q.y + p.y };
  };
  return g.nodes.map((n): Box => {
    const size =
      n.kind === "loop"
        ? (layout.sizes[n.id] ?? n.size ?? LOOP_SIZE)
        : (measured.get(n.id) ?? { width: 240, height: 110 });
    const p = at(n.id);
    return { id: n.id, left: p.x, top: p.y, right: p.x + size.width, bottom: p.y + size.height };
  });
}
const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** start → loop (a chain of `body` agents inside) → after */
function loopWithBody(body: number) {
  const b = graph().start("start").node("loop", "loop").output("after");
  const ids = Array.from({ length: body }, (_, i) => `step_${i + 1}`);
  for (const id of ids) b.agent(id);
  b.chain("start", "loop", "after").chain(...ids);
  const g = b.build();
  for (const n of g.nodes) if (ids.includes(n.id)) n.parentId = "loop";
  return { g, ids };
}

describe("Auto-layout", () => {
  it("grows a Loop to hold its body, below its header, and puts the step after it beside the grown frame", () => {
    const { g, ids } = loopWithBody(4);
    const layout = autoLayout(g);
    const size = layout.sizes.loop!;
    expect(size.width).toBeGreaterThanOrEqual(INSIDE.x + 4 * 240 + 3 * 60);
    const all = boxes(g, layout);
    const loop = all.find((b) => b.id === "loop")!;
    const body = all.filter((b) => ids.includes(b.id));
    for (const step of body) {
      // Inside the frame, under its header.
      expect(step.top).toBeGreaterThanOrEqual(loop.top + INSIDE.y);
      expect(step.right).toBeLessThanOrEqual(loop.right);
      expect(step.bottom).toBeLessThanOrEqual(loop.bottom);
    }
    // Nothing outside the Loop lies over it or its body.
    for (const outside of all.filter((b) => b.id === "start" || b.id === "after"))
      for (const inside of [loop, ...body])
        expect(overlap(outside, inside), `${outside.id} over ${inside.id}`).toBe(false);
    for (const [i, a] of body.entries()) for (const b of body.slice(i + 1)) expect(overlap(a, b)).toBe(false);
  });

  it("never shrinks a Loop a person made roomy, and leaves a Loop whose body fits as it is", () => {
    const { g } = loopWithBody(1);
    g.nodes.find((n) => n.id === "loop")!.size = { width: 1200, height: 700 };
    expect(autoLayout(g).sizes).toEqual({});
    const small = loopWithBody(1).g;
    expect(autoLayout(small).sizes).toEqual({});
  });

  it("lays out a Loop inside a Loop from the inside out", () => {
    const { g } = loopWithBody(0);
    g.nodes.push(
      { id: "inner", kind: "loop", label: "inner", position: { x: 0, y: 0 }, config: {}, parentId: "loop" },
      ...["a", "b", "c"].map((id) => ({
        id,
        kind: "transform" as const,
        label: id,
        position: { x: 0, y: 0 },
        config: { expression: "1" },
        parentId: "inner",
      })),
    );
    g.edges.push({ id: "a-b", source: "a", target: "b" }, { id: "b-c", source: "b", target: "c" });
    const layout = autoLayout(g);
    const inner = layout.sizes.inner!;
    expect(inner.width).toBeGreaterThanOrEqual(INSIDE.x + 3 * 240 + 2 * 60);
    expect(layout.sizes.loop!.width).toBeGreaterThanOrEqual(INSIDE.x + inner.width);
    const all = boxes(g, layout);
    const outer = all.find((b) => b.id === "loop")!;
    const after = all.find((b) => b.id === "after")!;
    expect(overlap(outer, after)).toBe(false);
    for (const id of ["a", "b", "c"]) expect(all.find((b) => b.id === id)!.right).toBeLessThanOrEqual(outer.right);
  });

  it("keeps tall steps (Conditions with many branches) apart by their drawn size", () => {
    const branches = [1, 2, 3, 4, 5, 6].map((i) => ({ id: `b${i}`, expression: "true" }));
    const g = graph()
      .start("start")
      .condition("first", branches)
      .condition("second", branches)
      .edge("start", "first")
      .edge("start", "second")
      .build();
    const tall = { width: 240, height: 260 };
    const measured = new Map([
      ["first", tall],
      ["second", tall],
    ]);
    const all = boxes(g, autoLayout(g, measured), measured);
    expect(
      overlap(
        all.find((b) => b.id === "first")!,
        all.find((b) => b.id === "second")!,
      ),
    ).toBe(false);
  });
});
