"use client";

import type { ReactFlowInstance } from "@xyflow/react";
import { useCallback, type Dispatch } from "react";
import type { EditorAction, EditorState } from "@/lib/canvas/editor-state";
import type { FlowEdge, FlowNode } from "@/lib/canvas/flow-mapping";
import { freePosition } from "@/lib/canvas/free-position";
import { canFollow, spotAfter } from "@/lib/canvas/step-after";
import type { NodeKind } from "@/lib/schemas/workflow";

/**
 * Adding a step by click (the palette) or by command: after the selected step, connected from
 * it and placed right of it (in view), when it passes something on and the new kind takes an
 * input; else in the middle of the view, unconnected. The new step is selected, so clicking on
 * builds a chain.
 */
export function useAddStep(
  state: EditorState,
  dispatch: Dispatch<EditorAction>,
  flow: ReactFlowInstance<FlowNode, FlowEdge>,
  /** Settings a new step of a kind starts with in this workspace. */
  defaults: Partial<Record<NodeKind, Record<string, unknown>>>,
) {
  const selected = state.nodes.filter((n) => n.selected);
  const from = selected.length === 1 ? selected[0] : undefined;

  const add = useCallback(
    (kind: NodeKind, where: "after" | "center" = "after") => {
      const measured = (n: FlowNode) => ({ ...n, measured: flow.getInternalNode(n.id)?.measured ?? n.measured });
      if (where === "after" && from && canFollow(from, kind)) {
        const position = spotAfter(measured(from), state.nodes.map(measured));
        dispatch({
          type: "addNode",
          kind,
          position,
          ...(from.parentId && { parentId: from.parentId }),
          after: from.id,
          config: defaults[kind],
        });
        showSpot(flow, from.parentId, position);
        return;
      }
      const box = canvasBox();
      const p = flow.screenToFlowPosition({
        x: (box?.left ?? 0) + (box?.width ?? 800) / 2,
        y: (box?.top ?? 0) + (box?.height ?? 600) / 2,
      });
      dispatch({
        type: "addNode",
        kind,
        // Sizes as React Flow knows them (measured, or estimated for a step not drawn yet).
        position: freePosition(state.nodes.map(measured), { x: p.x - 120, y: p.y - 40 }),
        config: defaults[kind],
      });
    },
    [flow, from, state.nodes, dispatch, defaults],
  );

  return {
    add,
    /** The selected step, when steps can be added after it. */
    after: from && outputsFrom(from) ? from : undefined,
    /** The selected step, when it passes nothing on (an Output, a note). */
    endsHere: from && !outputsFrom(from) ? from : undefined,
  };
}

const canvasBox = () => document.querySelector("[data-testid=canvas]")?.getBoundingClientRect();

/** Whether any kind can follow the step (it has an output). */
const outputsFrom = (n: FlowNode) => canFollow(n, "agent");

/** Room kept between a step brought into view and the canvas's edge, in pixels. */
const MARGIN = 40;

/**
 * Pans (at the same zoom) just enough that a step placed at `position` (relative to
 * `parentId`) is in view, so the step it follows mostly stays in view too.
 */
function showSpot(
  flow: ReactFlowInstance<FlowNode, FlowEdge>,
  parentId: string | undefined,
  position: { x: number; y: number },
) {
  const parent = parentId ? flow.getInternalNode(parentId)?.internals.positionAbsolute : undefined;
  const at = { x: position.x + (parent?.x ?? 0), y: position.y + (parent?.y ?? 0) };
  const box = canvasBox();
  if (!box) return;
  const a = flow.flowToScreenPosition(at);
  const b = flow.flowToScreenPosition({ x: at.x + 260, y: at.y + 130 });
  const past = (low: number, high: number, min: number, max: number) =>
    high > max - MARGIN
      ? Math.min(high - (max - MARGIN), low - (min + MARGIN))
      : low < min + MARGIN
        ? low - (min + MARGIN)
        : 0;
  const dx = past(a.x, b.x, box.left, box.right);
  const dy = past(a.y, b.y, box.top, box.bottom);
  if (!dx && !dy) return;
  const { x, y, zoom } = flow.getViewport();
  // A straight slide: the default path zooms out and back in on the way, a dip nobody asked for.
  void flow.setViewport({ x: x - dx, y: y - dy, zoom }, { duration: 200, interpolate: "linear" });
}
