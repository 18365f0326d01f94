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
  run: Map<string, "running" | "done" | "failed" | "waiting" | "skipped">;
}

export const DecorationsContext = createContext<Decorations>({ problems: new Map(), diff: new Map(), run: new Map() });
export const useDecorations = () => useContext(DecorationsContext);
