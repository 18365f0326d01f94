import { parentsFirst, type FlowNode } from "./flow-mapping";
import { commit, type EditorState } from "./editor-history";
import type { InsertNotice } from "./rewire-inserted-step";

/**
 * A Loop's frame on the canvas and the steps inside it (`parentId`): what goes with a Loop,
 * the order React Flow needs, the frame growing to hold a step, and moving a step in or out.
 */

/** A Loop grows to hold a step put inside it (never shrinks: a person may have made it roomy). */
export function grownToHold(nodes: FlowNode[], inside: FlowNode): FlowNode[] {
  if (!inside.parentId) return nodes;
  const width = inside.position.x + (inside.measured?.width ?? inside.width ?? 240) + 40;
  const height = inside.position.y + (inside.measured?.height ?? inside.height ?? 130) + 40;
  return nodes.map((n) =>
    n.id === inside.parentId && ((n.width ?? 0) < width || (n.height ?? 0) < height)
      ? { ...n, width: Math.max(n.width ?? 0, width), height: Math.max(n.height ?? 0, height) }
      : n,
  );
}

/** These steps and every step inside them (a Loop's body goes with the Loop). */
export function withInside(nodes: FlowNode[], ids: Iterable<string>): Set<string> {
  const all = new Set(ids);
  for (let grew = all.size > 0; grew;) {
    grew = false;
    for (const n of nodes)
      if (n.parentId && all.has(n.parentId) && !all.has(n.id)) {
        all.add(n.id);
        grew = true;
      }
  }
  return all;
}

export function setParent(
  state: EditorState,
  action: { id: string; parentId: string | null; position: { x: number; y: number } },
): EditorState {
  const node = state.nodes.find((n) => n.id === action.id);
  if (!node || node.data.kind === "start" || (node.parentId ?? null) === action.parentId) return state;
  // Never into itself or into a Loop inside it.
  if (action.parentId && withInside(state.nodes, [action.id]).has(action.parentId)) return state;
  const moved: FlowNode = { ...node, position: action.position };
  if (action.parentId) moved.parentId = action.parentId;
  else delete moved.parentId;
  const nodes = parentsFirst(grownToHold([...state.nodes.filter((n) => n.id !== node.id), moved], moved));
  const parentOf = new Map(nodes.map((n) => [n.id, n.parentId]));
  const crossing = state.edges.filter(
    (e) => (e.source === node.id || e.target === node.id) && parentOf.get(e.source) !== parentOf.get(e.target),
  );
  const edges = state.edges.filter((e) => !crossing.includes(e));
  const label = node.data.label || node.id;
  const notices: InsertNotice[] = crossing.length
    ? [
        {
          tone: "warning",
          message: `${crossing.length} connection${crossing.length === 1 ? "" : "s"} of ${label} crossed the loop's edge and ${crossing.length === 1 ? "was" : "were"} removed: steps inside a loop connect only to each other.`,
        },
      ]
    : [];
  return { ...commit(state, { nodes, edges }), ...(notices.length && { notices }) };
}
