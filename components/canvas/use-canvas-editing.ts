"use client";

import type { EdgeChange, NodeChange } from "@xyflow/react";
import { useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import type { EditorAction, EditorState } from "@/lib/canvas/editor-state";
import { stepName, type FlowNode } from "@/lib/canvas/flow-mapping";
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
  // The actions read the steps' ids and data (kinds, names, outputs), never their positions or
  // parents (an action that does must widen the comparison below): while
  // steps are dragged the actions stay the same, and the steps and connections drawn from them
  // are not drawn again on every frame.
  const [kept, keep] = useState(state.nodes);
  const same =
    kept === state.nodes ||
    (kept.length === state.nodes.length &&
      kept.every((n, i) => n.id === state.nodes[i]!.id && n.data === state.nodes[i]!.data));
  if (!same) keep(state.nodes);
  const nodes = same ? kept : state.nodes;

  return useMemo(() => {
    // Built on first use (a drag makes a new state every frame; most frames ask for neither).
    let byId: Map<string, FlowNode> | undefined;
    const nodeOf = (id: string) => (byId ??= new Map(nodes.map((n) => [n.id, n]))).get(id);
    let connected: Set<string> | undefined;
    const key = (source: string, handle: string | null | undefined, target: string) =>
      JSON.stringify([source, handle ?? null, target]);
    /** Whether `source` (its output `handle`) is connected to `target` already. */
    const isConnected = (source: string, handle: string | null | undefined, target: string) =>
      (connected ??= new Set(state.edges.map((e) => key(e.source, e.sourceHandle, e.target)))).has(
        key(source, handle, target),
      );
    const labelOf = (id: string) => {
      const n = nodeOf(id);
      return n ? stepName(n) : id;
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
      // Only steps on the same level: a Loop's body connects inside it, never to the Loop or beyond.
      targetsOf: (id, handle) => {
        const level = nodeOf(id)?.parentId;
        return nodes
          .filter(
            (n) =>
              n.id !== id && n.parentId === level && specOf(n.data.kind).hasInput && !isConnected(id, handle, n.id),
          )
          .map((n) => ({ id: n.id, label: labelOf(n.id) }));
      },
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
        const node = selectedId === undefined ? undefined : nodeOf(selectedId);
        if (!node || readOnly) return [];
        const from = (source: FlowNode, only?: FlowNode) => {
          const outputs = outputsOf(source.data);
          return outputs.flatMap((o) =>
            (only
              ? isConnected(source.id, o.id, only.id)
                ? []
                : [{ id: only.id, label: labelOf(only.id) }]
              : actions.targetsOf(source.id, o.id)
            ).map((t) => ({
              id: `connect-${source.id}-${o.id ?? "out"}-${t.id}`,
              label: `Connect “${labelOf(source.id)}”${outputs.length > 1 ? ` (${o.label})` : ""} to “${t.label}”`,
              run: () => actions.connect(source.id, o.id, t.id),
            })),
          );
        };
        const incoming = specOf(node.data.kind).hasInput
          ? nodes
              .filter((n) => n.id !== node.id && n.data.kind !== "note" && n.parentId === node.parentId)
              .flatMap((n) => from(n, node))
          : [];
        return [...from(node), ...incoming];
      },
    };
  }, [nodes, state.edges, dispatch, readOnly, newStepDefaults]);
}
