import type { WorkflowGraph, WorkflowNode } from "../../schemas/workflow";
import { adjacency } from "./adjacency";

const same = (a: WorkflowNode | undefined, b: WorkflowNode | undefined) =>
  !!a &&
  !!b &&
  a.kind === b.kind &&
  JSON.stringify(a.config) === JSON.stringify(b.config) &&
  JSON.stringify(a.settings ?? {}) === JSON.stringify(b.settings ?? {});

/**
 * Which finished steps of an earlier run a retry may reuse instead of running (and paying for)
 * them again: a node that is unchanged in the new graph, finished in the old run, and all of
 * whose inputs are reused too — a changed step upstream invalidates everything after it.
 */
export function reusableSteps(oldGraph: WorkflowGraph, newGraph: WorkflowGraph, finished: Set<string>): Set<string> {
  const before = new Map(oldGraph.nodes.map((n) => [n.id, n]));
  const { in: inc } = adjacency(newGraph);
  const oldIn = adjacency(oldGraph).in;
  const reused = new Set<string>();
  // Fixed point: cheap for workflow-sized graphs, and needs no topological order.
  for (let changed = true; changed;) {
    changed = false;
    for (const node of newGraph.nodes) {
      if (reused.has(node.id) || !finished.has(node.id) || !same(before.get(node.id), node)) continue;
      const ins = inc.get(node.id) ?? [];
      const sameInputs = JSON.stringify([...ins].sort()) === JSON.stringify([...(oldIn.get(node.id) ?? [])].sort());
      if (sameInputs && ins.every((id) => reused.has(id))) {
        reused.add(node.id);
        changed = true;
      }
    }
  }
  return reused;
}
