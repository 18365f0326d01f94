import type { WorkflowGraph } from "../../schemas/workflow";

/** Outgoing and incoming neighbours of every node, ignoring edges to unknown nodes. */
export function adjacency(graph: WorkflowGraph): { out: Map<string, string[]>; in: Map<string, string[]> } {
  const out = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  const inc = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) {
    if (!out.has(e.source) || !inc.has(e.target)) continue;
    out.get(e.source)!.push(e.target);
    inc.get(e.target)!.push(e.source);
  }
  return { out, in: inc };
}
