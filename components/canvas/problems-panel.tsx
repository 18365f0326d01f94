"use client";

import type { GraphProblem } from "@/lib/engine/graph/validate-graph";

/** Every problem of the graph; clicking one selects its node. */
export function ProblemsPanel({
  problems,
  onSelect,
}: {
  problems: GraphProblem[];
  onSelect: (nodeId: string) => void;
}) {
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
          </button>
        </li>
      ))}
    </ul>
  );
}
