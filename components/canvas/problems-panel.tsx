"use client";

import type { GraphProblem } from "@/lib/engine/graph/validate-graph";
import type { WorkflowGraph } from "@/lib/schemas/workflow";

/**
 * Every problem of the graph; clicking one selects its node. A problem of a step whose name
 * another step has too also says the step's id (as its form shows it), so the two read apart.
 */
export function ProblemsPanel({
  problems,
  graph,
  onSelect,
}: {
  problems: GraphProblem[];
  graph: WorkflowGraph;
  onSelect: (nodeId: string) => void;
}) {
  const named = new Map<string, number>();
  for (const n of graph.nodes) named.set(n.label, (named.get(n.label) ?? 0) + 1);
  const labelOf = new Map(graph.nodes.map((n) => [n.id, n.label]));
  const shared = (nodeId: string | undefined) => !!nodeId && (named.get(labelOf.get(nodeId) ?? "") ?? 0) > 1;
  if (problems.length === 0) {
    return (
      <p
        className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-800 ring-1 ring-emerald-200"
        data-testid="no-problems"
      >
        No problems: this workflow can be published.
      </p>
    );
  }
  return (
    <ul className="space-y-1.5" data-testid="problem-list">
      {problems.map((p, i) => (
        <li key={i}>
          <button
            type="button"
            disabled={!p.nodeId}
            onClick={() => p.nodeId && onSelect(p.nodeId)}
            className="w-full rounded-md bg-amber-50 px-2.5 py-2 text-left text-xs text-amber-900 ring-1 ring-amber-200 hover:bg-amber-100 disabled:cursor-default"
          >
            {p.message}
            {shared(p.nodeId) && <span className="ml-1 font-mono text-amber-800">({p.nodeId})</span>}
          </button>
        </li>
      ))}
    </ul>
  );
}
