import dagre from "@dagrejs/dagre";
import type { WorkflowGraph, WorkflowNode } from "../schemas/workflow";
import { LOOP_SIZE } from "./flow-mapping";

const WIDTH = 240;
const HEIGHT = 110;
/**
 * Where a Loop's body starts inside its frame: below its header, which is taller while it shows
 * badges (the workflow it runs, a run's status) than without.
 */
export const INSIDE = { x: 24, y: 140 };
/** Room between a Loop's body and its frame's right and bottom edges. */
const PAD = 40;
const MAX_FRAME = 20_000;

type Size = { width: number; height: number };

export interface Layout {
  /** Each step's position: a step inside a Loop from the Loop's top-left corner. */
  positions: Record<string, { x: number; y: number }>;
  /** The Loops whose frames grew to hold their laid-out body (a frame never shrinks). */
  sizes: Record<string, Size>;
}

/**
 * Left-to-right layered layout (dagre) of the workflow's nodes; sticky notes stay put. Laid out
 * from the inside out: a Loop's body first, inside its frame, below its header; the frame grows
 * to hold it; then the layer around it, with the Loop at the size it has now, so nothing after a
 * Loop is drawn over its body. `measured` gives the steps' drawn sizes (a Condition with many
 * branches is taller than a plain step); a step not drawn yet is taken at a plain step's size.
 */
export function autoLayout(graph: WorkflowGraph, measured: ReadonlyMap<string, Size> = new Map()): Layout {
  const positions: Layout["positions"] = {};
  const sizes: Layout["sizes"] = {};
  const sizeOf = (n: WorkflowNode): Size =>
    n.kind === "loop"
      ? (sizes[n.id] ?? n.size ?? LOOP_SIZE)
      : { width: measured.get(n.id)?.width ?? WIDTH, height: measured.get(n.id)?.height ?? HEIGHT };

  /** Lays out the steps directly inside `parentId` (the top level when undefined); returns their bounds. */
  const layer = (parentId: string | undefined): Size | null => {
    const work = graph.nodes.filter((n) => n.kind !== "note" && n.parentId === parentId);
    if (!work.length) return null;
    for (const loop of work.filter((n) => n.kind === "loop")) {
      const body = layer(loop.id);
      if (!body) continue;
      const size = loop.size ?? LOOP_SIZE;
      const needed = { width: INSIDE.x + body.width + PAD, height: INSIDE.y + body.height + PAD };
      // At most the largest frame a graph may keep (workflowNodeSchema).
      const grown = (have: number, want: number) => Math.min(Math.max(have, Math.ceil(want)), MAX_FRAME);
      if (needed.width > size.width || needed.height > size.height)
        sizes[loop.id] = { width: grown(size.width, needed.width), height: grown(size.height, needed.height) };
    }
    const g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 60 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of work) g.setNode(n.id, sizeOf(n));
    for (const e of graph.edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
    dagre.layout(g);
    const box = (n: WorkflowNode) => {
      const p = g.node(n.id);
      const { width, height } = sizeOf(n);
      return { left: p.x - width / 2, top: p.y - height / 2, right: p.x + width / 2, bottom: p.y + height / 2 };
    };
    const boxes = work.map(box);
    const left = Math.min(...boxes.map((b) => b.left));
    const top = Math.min(...boxes.map((b) => b.top));
    work.forEach((n, i) => {
      const b = boxes[i]!;
      // Inside a Loop, from its top-left corner, below its header; at the top, where dagre put it.
      positions[n.id] = parentId
        ? { x: Math.round(b.left - left + INSIDE.x), y: Math.round(b.top - top + INSIDE.y) }
        : { x: Math.round(b.left), y: Math.round(b.top) };
    });
    return {
      width: Math.max(...boxes.map((b) => b.right)) - left,
      height: Math.max(...boxes.map((b) => b.bottom)) - top,
    };
  };
  layer(undefined);
  return { positions, sizes };
}
