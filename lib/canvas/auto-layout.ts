import dagre from "@dagrejs/dagre";
import type { WorkflowGraph } from "../schemas/workflow";

const WIDTH = 240;
const HEIGHT = 110;

/** Left-to-right layered layout (dagre) of the workflow's nodes; sticky notes stay put. */
export function autoLayout(graph: WorkflowGraph): Record<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 60 });
  g.setDefaultEdgeLabel(() => ({}));
  const work = graph.nodes.filter((n) => n.kind !== "note");
  for (const n of work) g.setNode(n.id, { width: WIDTH, height: HEIGHT });
  for (const e of graph.edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  return Object.fromEntries(
    work.map((n) => {
      const p = g.node(n.id);
      return [n.id, { x: Math.round(p.x - WIDTH / 2), y: Math.round(p.y - HEIGHT / 2) }];
    }),
  );
}
