import type { FlowEdge, FlowNode } from "./flow-mapping";
import type { InsertNotice } from "./rewire-inserted-step";

/**
 * The editor's undo history: a state is the graph shown plus what came before and after it.
 * `commit` makes a change a history entry (the graph before a drag, for a finished drag);
 * rapid edits of one field coalesce into one entry, so undo steps back by a meaningful amount.
 */
export type Snapshot = { nodes: FlowNode[]; edges: FlowEdge[] };

export interface EditorState extends Snapshot {
  past: Snapshot[];
  future: Snapshot[];
  /** Key and time of the last coalescable edit. */
  lastEdit?: { key: string; at: number };
  /** The graph as it was when the current drag began; the drag's history entry. */
  dragOrigin?: Snapshot;
  /** What the last connection changed or left for the person to check (cleared by the next edit). */
  notices?: InsertNotice[];
}

const HISTORY_LIMIT = 200;
const COALESCE_MS = 1200;

export const strip = (s: Snapshot): Snapshot => ({
  nodes: s.nodes.map(({ selected: _s, dragging: _d, ...n }) => n as FlowNode),
  edges: s.edges.map(({ selected: _s, ...e }) => e),
});

export function commit(state: EditorState, next: Snapshot, coalesceKey?: string, at = 0): EditorState {
  const coalesce = coalesceKey && state.lastEdit?.key === coalesceKey && at - state.lastEdit.at < COALESCE_MS;
  const past = coalesce ? state.past : [...state.past, state.dragOrigin ?? strip(state)].slice(-HISTORY_LIMIT);
  return {
    ...next,
    past,
    future: [],
    lastEdit: coalesceKey ? { key: coalesceKey, at } : undefined,
    dragOrigin: undefined,
  };
}
