"use client";

import { useState } from "react";
import type { WorkflowGraph } from "@/lib/schemas/workflow";

/**
 * Whether two graphs hold the same steps and connections: the same ids, kinds, names, positions,
 * sizes and parents, and the very same config and settings objects (an edit makes new ones).
 */
export function sameGraph(a: WorkflowGraph, b: WorkflowGraph): boolean {
  if (a.nodes.length !== b.nodes.length || a.edges.length !== b.edges.length) return false;
  const nodesSame = a.nodes.every((n, i) => {
    const m = b.nodes[i]!;
    return (
      n.id === m.id &&
      n.kind === m.kind &&
      n.label === m.label &&
      n.position.x === m.position.x &&
      n.position.y === m.position.y &&
      n.config === m.config &&
      n.settings === m.settings &&
      n.parentId === m.parentId &&
      n.size?.width === m.size?.width &&
      n.size?.height === m.size?.height
    );
  });
  return (
    nodesSame &&
    a.edges.every((e, i) => {
      const f = b.edges[i]!;
      return e.id === f.id && e.source === f.source && e.target === f.target && e.sourceHandle === f.sourceHandle;
    })
  );
}

/**
 * `graph`, or the one before it when nothing in it changed (a step selected, a size measured):
 * what is worked out from the graph (its problems, the draft to save, a comparison) is not
 * worked out again for a change that does not touch it, which on a large graph takes a while.
 */
export function useSteadyGraph(graph: WorkflowGraph): WorkflowGraph {
  const [kept, keep] = useState(graph);
  const steady = kept === graph || sameGraph(kept, graph) ? kept : graph;
  if (steady !== kept) keep(steady);
  return steady;
}
