"use client";

import type { ReactFlowInstance } from "@xyflow/react";
import { useCallback, useMemo, type Dispatch } from "react";
import type { EditorAction, EditorState } from "@/lib/canvas/editor-state";
import type { FlowEdge, FlowNode } from "@/lib/canvas/flow-mapping";
import { withInside } from "@/lib/canvas/loop-frames";
import { nodeKindSpecs } from "@/lib/schemas/node-kinds";
import { outputsOf } from "@/lib/schemas/node-kinds/outputs";
import type { NodeKind } from "@/lib/schemas/workflow";
import type { Command } from "./command-menu";
import { INSIDE } from "@/lib/canvas/auto-layout";

type Point = { x: number; y: number };

/** The next step of a body goes right of the last one, in one row, as a body reads left to right. */
function nextSpotInside(siblings: FlowNode[]): Point {
  if (!siblings.length) return INSIDE;
  const right = Math.max(...siblings.map((n) => n.position.x + (n.measured?.width ?? 240)));
  return { x: Math.ceil((right + 60) / 20) * 20, y: INSIDE.y };
}

/**
 * Drawing a Loop's body: a step dropped on a Loop (from the palette, or dragged there) goes
 * inside it, one dragged out of its Loop comes out, and the command menu does both from the
 * keyboard ("Add Agent inside “Loop”", "Move “Draft” into “Loop”", "Move … out of …").
 */
export function useLoopBodies(
  state: EditorState,
  dispatch: Dispatch<EditorAction>,
  flow: ReactFlowInstance<FlowNode, FlowEdge>,
  selectedId: string | undefined,
  afterAdd: () => void,
  /** Settings a new step of a kind starts with in this workspace (whom a review goes to). */
  defaults: Partial<Record<NodeKind, Record<string, unknown>>>,
) {
  const absolute = useCallback(
    (id: string): { at: Point; width: number; height: number } | null => {
      const internal = flow.getInternalNode(id);
      if (!internal) return null;
      return {
        at: internal.internals.positionAbsolute,
        width: internal.measured.width ?? internal.width ?? 0,
        height: internal.measured.height ?? internal.height ?? 0,
      };
    },
    [flow],
  );

  /** The innermost Loop under a point of the canvas, never `moving` or a Loop inside it. */
  const loopAt = useCallback(
    (point: Point, moving?: string): string | null => {
      const within = withInside(state.nodes, moving ? [moving] : []);
      let best: { id: string; area: number } | null = null;
      for (const n of state.nodes) {
        if (n.data.kind !== "loop" || within.has(n.id)) continue;
        const box = absolute(n.id);
        if (!box) continue;
        const inside =
          point.x >= box.at.x &&
          point.x <= box.at.x + box.width &&
          point.y >= box.at.y &&
          point.y <= box.at.y + box.height;
        if (inside && (!best || box.width * box.height < best.area)) best = { id: n.id, area: box.width * box.height };
      }
      return best?.id ?? null;
    },
    [state.nodes, absolute],
  );

  /** A step dropped at `position` (the canvas's coordinates): inside the Loop there, if any. */
  const placeDropped = useCallback(
    (position: Point): { position: Point; parentId?: string } => {
      const parentId = loopAt({ x: position.x + 120, y: position.y + 30 });
      const parent = parentId ? absolute(parentId) : null;
      return parentId && parent
        ? { parentId, position: { x: position.x - parent.at.x, y: position.y - parent.at.y } }
        : { position };
    },
    [loopAt, absolute],
  );

  /** A drag ended: the step is now in the Loop under its middle, or out of any. */
  const onNodeDragStop = useCallback(
    (node: FlowNode) => {
      const box = absolute(node.id);
      if (!box || node.data.kind === "start") return;
      const parentId = loopAt({ x: box.at.x + box.width / 2, y: box.at.y + box.height / 2 }, node.id);
      if (parentId === (node.parentId ?? null)) return;
      const parent = parentId ? absolute(parentId) : null;
      const position = parent ? { x: box.at.x - parent.at.x, y: box.at.y - parent.at.y } : box.at;
      dispatch({ type: "setParent", id: node.id, parentId, position });
    },
    [absolute, loopAt, dispatch],
  );

  const commands = useMemo((): Command[] => {
    const loops = state.nodes.filter((n) => n.data.kind === "loop");
    if (!loops.length) return [];
    const name = (n: FlowNode) => n.data.label || n.id;
    const spotIn = (loopId: string) => nextSpotInside(state.nodes.filter((n) => n.parentId === loopId));
    /** The step a new one inside the Loop follows: the selected one there, else the rightmost that leads nowhere yet. */
    const tailOf = (loopId: string) => {
      const body = state.nodes.filter((n) => n.parentId === loopId);
      return (
        body.find((n) => n.id === selectedId) ??
        body
          .filter((n) => outputsOf(n.data).length > 0 && !state.edges.some((e) => e.source === n.id))
          .sort((a, b) => b.position.x - a.position.x)[0]
      );
    };
    const add = loops.flatMap((loop) =>
      Object.values(nodeKindSpecs)
        .filter((s) => s.kind !== "start")
        .map((s) => ({
          id: `add-${s.kind}-in-${loop.id}`,
          label: `Add ${s.label} inside “${name(loop)}”`,
          hint: "a step of the loop's body, run once per item",
          run: () => {
            const kind = s.kind as NodeKind;
            dispatch({
              type: "addNode",
              kind,
              position: spotIn(loop.id),
              parentId: loop.id,
              after: tailOf(loop.id)?.id,
              config: defaults[kind],
            });
            afterAdd();
          },
        })),
    );
    const selected = state.nodes.find((n) => n.id === selectedId);
    if (!selected || selected.data.kind === "start") return add;
    const moves: Command[] = loops
      .filter((loop) => loop.id !== selected.id && loop.id !== selected.parentId)
      .map((loop) => ({
        id: `move-into-${loop.id}`,
        label: `Move “${name(selected)}” into “${name(loop)}”`,
        run: () => dispatch({ type: "setParent", id: selected.id, parentId: loop.id, position: spotIn(loop.id) }),
      }));
    const parent = loops.find((l) => l.id === selected.parentId);
    if (parent) {
      // Out into what holds the Loop: the canvas, or the Loop around it; beside the Loop.
      const box = absolute(parent.id);
      const outer = parent.parentId ? absolute(parent.parentId) : null;
      const beside = box ? { x: box.at.x + box.width + 60, y: box.at.y } : { x: 0, y: 0 };
      moves.push({
        id: "move-out",
        label: `Move “${name(selected)}” out of “${name(parent)}”`,
        run: () =>
          dispatch({
            type: "setParent",
            id: selected.id,
            parentId: parent.parentId ?? null,
            position: outer ? { x: beside.x - outer.at.x, y: beside.y - outer.at.y } : beside,
          }),
      });
    }
    return [...moves, ...add];
  }, [state.nodes, state.edges, selectedId, dispatch, absolute, afterAdd, defaults]);

  return { placeDropped, onNodeDragStop, commands };
}
