"use client";

import { createContext, useContext } from "react";

/**
 * What the canvas paints on nodes without it being part of the graph (and so of undo):
 * validation problems and, while comparing, how each node differs from a version.
 */
export interface Decorations {
  problems: Map<string, string[]>;
  diff: Map<string, "added" | "changed">;
  /** Each step's status in the run being watched. */
  run: Map<string, "running" | "done" | "failed" | "waiting" | "skipped" | "interrupted">;
  /** With the stats overlay on: each step's median time and cost over recent runs. */
  stats: Map<string, NodeStat> | null;
  /** Workflow names by id, for Sub-workflow steps. */
  workflowNames: Map<string, string>;
  /** Steps whose output is pinned (test runs use the pin instead of running them). */
  pinned: Set<string>;
}

export interface NodeStat {
  runs: number;
  failed: number;
  p50Ms: number | null;
  p95Ms: number | null;
  medianCostUsd: number;
  medianTokens: number;
}

export const DecorationsContext = createContext<Decorations>({
  problems: new Map(),
  diff: new Map(),
  run: new Map(),
  stats: null,
  workflowNames: new Map(),
  pinned: new Set(),
});
export const useDecorations = () => useContext(DecorationsContext);

/**
 * The decorations of the draft being edited: its problems, how it differs from the version
 * compared, the watched run's step states, and (with the overlay on; `undefined`: off) stats.
 */
export function nodeDecorations(input: {
  problems: { nodeId?: string; message: string }[];
  diff: { added: string[]; changed: { id: string }[] } | null;
  live: { steps: Record<string, { status: Decorations["run"] extends Map<string, infer S> ? S : never }> } | null;
  stats: { nodes: Record<string, NodeStat> } | null | undefined;
  workflowNames: Map<string, string>;
  pinned: string[];
}): Decorations {
  const problems = new Map<string, string[]>();
  for (const p of input.problems) if (p.nodeId) problems.set(p.nodeId, [...(problems.get(p.nodeId) ?? []), p.message]);
  const diff = new Map<string, "added" | "changed">();
  input.diff?.added.forEach((id) => diff.set(id, "added"));
  input.diff?.changed.forEach((c) => diff.set(c.id, "changed"));
  const run = new Map(input.live ? Object.entries(input.live.steps).map(([id, st]) => [id, st.status] as const) : []);
  const stats = input.stats === undefined ? null : new Map(Object.entries(input.stats?.nodes ?? {}));
  return { problems, diff, run, stats, workflowNames: input.workflowNames, pinned: new Set(input.pinned) };
}
