import dagre from "@dagrejs/dagre";
import type { WorkflowGraph, WorkflowNode } from "../schemas/workflow";
import { LOOP_SIZE } from "./flow-mapping";

const WIDTH = 240;
const HEIGHT = 110;
/** Where a Loop's body starts inside its frame: below its header. */
const INSIDE = { x: 20, y: 100 };

const sizeOf = (n: WorkflowNode) => (n.kind === "loop" ? (n.size ?? LOOP_SIZE) : { width: WIDTH, height: HEIGHT });

/**
 * Left-to-right layered layout (dagre) of the workflow's nodes; sticky notes stay put. The
 * steps inside a Loop are laid out inside its frame (positions relative to it), the Loop taking
 * its own size in the layout around it.
 */
export function autoLayout(graph: WorkflowGraph): Record<string, { x: number; y: number }> {
  const positions: Record<string, { x: number; y: number }> = {};
  const layer = (parentId: string | undefined, offset: { x: number; y: number }) => {
    const work = graph.nodes.filter((n) => n.kind !== "note" && n.parentId === parentId);
    if (!work.length) return;
    const g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 60 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of work) g.setNode(n.id, sizeOf(n));
    for (const e of graph.edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
    dagre.layout(g);
    const top = Math.min(...work.map((n) => g.node(n.id).y - sizeOf(n).height / 2));
    const left = Math.min(...work.map((n) => g.node(n.id).x - sizeOf(n).width / 2));
    for (const n of work) {
      const p = g.node(n.id);
      const { width, height } = sizeOf(n);
      // Inside a Loop, from its top-left corner; at the top, where dagre put it.
      positions[n.id] = parentId
        ? { x: Math.round(p.x - width / 2 - left + offset.x), y: Math.round(p.y - height / 2 - top + offset.y) }
        : { x: Math.round(p.x - width / 2), y: Math.round(p.y - height / 2) };
      if (n.kind === "loop") layer(n.id, INSIDE);
    }
  };
  layer(undefined, { x: 0, y: 0 });
  return positions;
}
