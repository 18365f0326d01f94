"use client";

import type { EdgeChange, NodeChange } from "@xyflow/react";
import { useMemo, useRef } from "react";
import { toast } from "sonner";
import type { EditorAction, EditorState } from "@/lib/canvas/editor-state";
import type { FlowNode } from "@/lib/canvas/flow-mapping";
import { outputsOf } from "@/lib/schemas/node-kinds/outputs";
import { specOf } from "@/lib/schemas/node-kinds";
import type { NodeKind } from "@/lib/schemas/workflow";
import type { CanvasActions } from "./canvas-actions";

/**
 * The editing gestures of the canvas as editor actions: its menus and "+" buttons
 * (`actions`), and React Flow's changes. Every deletion, however it was made (a key, a menu,
 * the inspector), is confirmed in a toast with Undo.
 */
export function useCanvasEditing(
  state: EditorState,
  dispatch: (action: EditorAction) => void,
  options: { readOnly: boolean; newStepDefaults: Partial<Record<NodeKind, Record<string, unknown>>> },
) {
  const { readOnly, newStepDefaults } = options;
  // Steps deleted in this event: React Flow then reports their connections removed as well.
  const removedNow = useRef<Set<string>>(new Set());

  return useMemo(() => {
    const labelOf = (id: string) => {
      const n = state.nodes.find((x) => x.id === id);
      return n ? n.data.label || specOf(n.data.kind).label : id;
    };
    const undo = { label: "Undo", onClick: () => dispatch({ type: "undo" }) };
    const confirmNodes = (ids: string[]) => {
      if (!ids.length) return;
      ids.forEach((id) => removedNow.current.add(id));
      setTimeout(() => removedNow.current.clear(), 0);
      toast(ids.length === 1 ? `Deleted step “${labelOf(ids[0]!)}”` : `Deleted ${ids.length} steps`, { action: undo });
    };
    const confirmEdges = (ids: string[]) => {
      const gone = state.edges.filter(
        (e) => ids.includes(e.id) && !removedNow.current.has(e.source) && !removedNow.current.has(e.target),
      );
      if (!gone.length) return;
      const e = gone[0]!;
      toast(
        gone.length === 1
          ? `Deleted the connection from “${labelOf(e.source)}” to “${labelOf(e.target)}”`
          : `Deleted ${gone.length} connections`,
        { action: undo },
      );
    };
    const removeNodes = (ids: string[]) => {
      dispatch({ type: "remove", nodeIds: ids });
      confirmNodes(ids);
    };

    const actions: CanvasActions = {
      readOnly,
      labelOf,
      insertOnEdge: (edgeId, kind) => dispatch({ type: "insertOnEdge", edgeId, kind, config: newStepDefaults[kind] }),
      removeEdge: (edgeId) => {
        dispatch({ type: "edgesChange", changes: [{ type: "remove", id: edgeId }] });
        confirmEdges([edgeId]);
      },
      removeNode: (id) => removeNodes([id]),
      connect: (source, sourceHandle, target) =>
        dispatch({ type: "connect", connection: { source, sourceHandle, target, targetHandle: null } }),
      targetsOf: (id, handle) =>
        state.nodes
          .filter(
            (n) =>
              n.id !== id &&
              specOf(n.data.kind).hasInput &&
              !state.edges.some(
                (e) => e.source === id && e.target === n.id && (e.sourceHandle ?? null) === (handle ?? null),
              ),
          )
          .map((n) => ({ id: n.id, label: labelOf(n.id) })),
    };

    return {
      actions,
      removeNodes,
      onNodesChange: (changes: NodeChange<FlowNode>[]) => {
        dispatch({ type: "nodesChange", changes });
        confirmNodes(changes.flatMap((c) => (c.type === "remove" ? [c.id] : [])));
      },
      onEdgesChange: (changes: EdgeChange[]) => {
        dispatch({ type: "edgesChange", changes });
        confirmEdges(changes.flatMap((c) => (c.type === "remove" ? [c.id] : [])));
      },
      /**
       * Commands for the selected step: connect each of its outputs to each step that can take
       * it, and each other step's outputs to it.
       */
      connectCommands: (selectedId: string | undefined) => {
        const node = state.nodes.find((n) => n.id === selectedId);
        if (!node || readOnly) return [];
        const from = (source: FlowNode, only?: string) => {
          const outputs = outputsOf(source.data);
          return outputs.flatMap((o) =>
            actions
              .targetsOf(source.id, o.id)
              .filter((t) => !only || t.id === only)
              .map((t) => ({
                id: `connect-${source.id}-${o.id ?? "out"}-${t.id}`,
                label: `Connect “${labelOf(source.id)}”${outputs.length > 1 ? ` (${o.label})` : ""} to “${t.label}”`,
                run: () => actions.connect(source.id, o.id, t.id),
              })),
          );
        };
        const incoming = specOf(node.data.kind).hasInput
          ? state.nodes.filter((n) => n.id !== node.id && n.data.kind !== "note").flatMap((n) => from(n, node.id))
          : [];
        return [...from(node), ...incoming];
      },
    };
  }, [state.nodes, state.edges, dispatch, readOnly, newStepDefaults]);
}
