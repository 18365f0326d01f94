"use client";

import { createContext, useContext } from "react";
import type { NodeKind } from "@/lib/schemas/workflow";

/**
 * What the steps and connections drawn on the canvas can ask the editor to do (their menus and
 * "+" buttons): the editor provides it, so nodes and edges stay plain views.
 */
export interface CanvasActions {
  readOnly: boolean;
  /** A step's name as a person reads it. */
  labelOf: (nodeId: string) => string;
  insertOnEdge: (edgeId: string, kind: NodeKind) => void;
  removeEdge: (edgeId: string) => void;
  removeNode: (nodeId: string) => void;
  connect: (source: string, sourceHandle: string | null, target: string) => void;
  /** Steps this step's output could go to (those with an input, not itself, not already connected there). */
  targetsOf: (nodeId: string, sourceHandle: string | null) => { id: string; label: string }[];
}

export const CanvasActionsContext = createContext<CanvasActions>({
  readOnly: true,
  labelOf: (id) => id,
  insertOnEdge: () => {},
  removeEdge: () => {},
  removeNode: () => {},
  connect: () => {},
  targetsOf: () => [],
});

export const useCanvasActions = () => useContext(CanvasActionsContext);
