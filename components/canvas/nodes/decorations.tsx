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
});
export const useDecorations = () => useContext(DecorationsContext);
