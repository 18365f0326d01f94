import { applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange } from "@xyflow/react";
import { nodeKindSpecs, specOf } from "../schemas/node-kinds";
import { outputsOf } from "../schemas/node-kinds/outputs";
import type { NodeKind, NodeSettings, WorkflowGraph } from "../schemas/workflow";
import { freshNodeId, fromFlow, LOOP_SIZE, toFlow, type FlowNode } from "./flow-mapping";
import { commit, strip, type EditorState, type Snapshot } from "./editor-history";
import { followOutputs } from "./follow-outputs";
import { grownToHold, setParent, withInside } from "./loop-frames";
import { rewireInsertedStep } from "./rewire-inserted-step";
import { canFollow, freeOutput } from "./step-after";

export type { EditorState } from "./editor-history";

/**
 * The editor's graph state and its undo history, as a pure reducer. Every change that means
 * something (add, remove, connect, move finished, config edit, paste, layout) is a history
 * entry; selection and in-flight dragging are not. Rapid edits of one field coalesce into one
 * entry, so undo steps back by a meaningful amount.
 */
export type EditorAction =
  | { type: "load"; graph: WorkflowGraph }
  | { type: "nodesChange"; changes: NodeChange<FlowNode>[] }
  | { type: "edgesChange"; changes: EdgeChange[] }
  | { type: "connect"; connection: Connection }
  /** `config`: settings that differ from the kind's defaults (whom a review goes to, in this workspace). */
  | {
      type: "addNode";
      kind: NodeKind;
      position: { x: number; y: number };
      config?: Record<string, unknown>;
      /** A Loop to put it inside (its position then relative to the Loop's). */
      parentId?: string;
      /** The step it follows, connected from that step's first free output (one history entry). */
      after?: string;
    }
  /** Moves a step into a Loop's body, or out of it (null); connections that would cross the Loop's edge go. */
  | { type: "setParent"; id: string; parentId: string | null; position: { x: number; y: number } }
  | {
      type: "updateNode";
      id: string;
      label?: string;
      config?: Record<string, unknown>;
      settings?: NodeSettings;
      at: number;
    }
  /** A new step put on a connection: `source ──> new ──> target`, the later step rewired to read it. */
  | { type: "insertOnEdge"; edgeId: string; kind: NodeKind; config?: Record<string, unknown> }
  | { type: "paste"; graph: WorkflowGraph; offset: { x: number; y: number } }
  | { type: "remove"; nodeIds: string[] }
  | {
      type: "positions";
      positions: Record<string, { x: number; y: number }>;
      /** Loops' frames resized (Auto-layout grows a frame to hold its body). */
      sizes?: Record<string, { width: number; height: number }>;
    }
  | { type: "select"; nodeIds: string[] }
  | { type: "dismissNotices" }
  | { type: "replaceGraph"; graph: WorkflowGraph }
  | { type: "undo" }
  | { type: "redo" };

export function initialEditorState(graph: WorkflowGraph): EditorState {
  return { ...toFlow(graph), past: [], future: [] };
}

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case "load":
      return initialEditorState(action.graph);
    case "nodesChange": {
      const nodes = applyNodeChanges(action.changes, state.nodes);
      const meaningful = action.changes.some(
        (c) =>
          c.type === "remove" ||
          c.type === "add" ||
          (c.type === "position" && c.dragging === false) ||
          // A Loop resized by its handles (not a size React Flow measured).
          (c.type === "dimensions" && c.resizing === false),
      );
      if (!meaningful) {
        const dragging = action.changes.some((c) => c.type === "position" && c.dragging);
        return { ...state, nodes, dragOrigin: dragging ? (state.dragOrigin ?? strip(state)) : state.dragOrigin };
      }
      const removed = withInside(
        state.nodes,
        action.changes.filter((c) => c.type === "remove").map((c) => c.id),
      );
      const edges = state.edges.filter((e) => !removed.has(e.source) && !removed.has(e.target));
      // A finished drag's history entry is the graph from before the drag (dragOrigin).
      return commit(state, { nodes: nodes.filter((n) => !removed.has(n.id)), edges });
    }
    case "edgesChange": {
      const edges = applyEdgeChanges(action.changes, state.edges);
      // Deleting a step removes its connections with it; React Flow then reports them removed
      // again, which must not be a second history entry.
      return action.changes.some((c) => c.type === "remove") && edges.length !== state.edges.length
        ? commit(state, { nodes: state.nodes, edges })
        : { ...state, edges };
    }
    case "insertOnEdge":
      return insertOnEdge(state, action);
    case "connect": {
      const { source, target, sourceHandle } = action.connection;
      if (!source || !target || source === target) return state;
      const inside = (id: string) => state.nodes.find((n) => n.id === id)?.parentId;
      if (inside(source) !== inside(target))
        return {
          ...state,
          notices: [
            {
              tone: "warning",
              message:
                "Not connected: steps inside a loop connect only to each other (the loop hands them the item; its other inputs carry values in).",
            },
          ],
        };
      if (
        state.edges.some(
          (e) => e.source === source && e.target === target && (e.sourceHandle ?? null) === (sourceHandle ?? null),
        )
      )
        return state;
      const id = `e_${source}_${sourceHandle ?? "out"}_${target}`;
      const edges = [...state.edges, { id, source, target, sourceHandle: sourceHandle ?? null }];
      // A connection that puts a step between two may change what the later step should read.
      const { graph, notices } = rewireInsertedStep(fromFlow(state.nodes, edges), { source, target });
      const configs = new Map(graph.nodes.map((n) => [n.id, n.config]));
      const nodes = state.nodes.map((n) =>
        configs.get(n.id) === n.data.config ? n : { ...n, data: { ...n.data, config: configs.get(n.id)! } },
      );
      return { ...commit(state, { nodes, edges }), ...(notices.length && { notices }) };
    }
    case "dismissNotices":
      return { ...state, notices: undefined };
    case "addNode": {
      const spec = specOf(action.kind);
      const id = freshNodeId(
        action.kind,
        state.nodes.map((n) => n.id),
      );
      const node: FlowNode = {
        id,
        type: action.kind === "note" ? "note" : "workflow",
        position: action.position,
        ...(action.parentId && { parentId: action.parentId }),
        ...(action.kind === "loop" && { width: LOOP_SIZE.width, height: LOOP_SIZE.height }),
        selected: true,
        data: {
          kind: action.kind,
          label: spec.label,
          config: { ...(structuredClone(spec.defaultConfig) as Record<string, unknown>), ...action.config },
        },
      };
      const from = state.nodes.find((n) => n.id === action.after);
      const handle =
        from && from.parentId === action.parentId && canFollow(from, action.kind)
          ? freeOutput(from, state.edges)
          : undefined;
      return commit(state, {
        nodes: grownToHold([...state.nodes.map((n) => ({ ...n, selected: false })), node], node),
        edges:
          from && handle !== undefined
            ? [
                ...state.edges,
                { id: `e_${from.id}_${handle ?? "out"}_${id}`, source: from.id, target: id, sourceHandle: handle },
              ]
            : state.edges,
      });
    }
    case "updateNode": {
      const before = state.nodes.find((n) => n.id === action.id);
      const nodes = state.nodes.map((n) =>
        n.id === action.id
          ? {
              ...n,
              data: {
                ...n.data,
                ...(action.label !== undefined && { label: action.label }),
                ...(action.config && { config: action.config }),
                ...(action.settings && { settings: action.settings }),
              },
            }
          : n,
      );
      const field = action.label !== undefined ? "label" : action.settings ? "settings" : "config";
      // A renamed output (a Condition's branch) keeps its connections; a removed one (a branch, or
      // the error branch turned off) takes them along.
      const edges =
        before && (action.config || action.settings)
          ? followOutputs(state.edges, action.id, before.data, {
              kind: before.data.kind,
              config: action.config ?? before.data.config,
              settings: action.settings ?? before.data.settings,
            })
          : state.edges;
      return commit(state, { nodes, edges }, `${action.id}:${field}`, action.at);
    }
    case "paste": {
      const taken = new Set(state.nodes.map((n) => n.id));
      const loops = new Set(state.nodes.filter((n) => n.data.kind === "loop").map((n) => n.id));
      const rename = new Map<string, string>();
      for (const n of action.graph.nodes) {
        const id = taken.has(n.id) ? freshNodeId(n.kind, taken) : n.id;
        taken.add(id);
        rename.set(n.id, id);
      }
      const pasted = toFlow({
        nodes: action.graph.nodes.map(({ parentId, ...n }) => ({
          ...n,
          id: rename.get(n.id)!,
          // Inside a Loop pasted with it: inside the copy; else inside the same Loop, when this workflow has it.
          ...(parentId &&
            (rename.has(parentId) || loops.has(parentId)) && { parentId: rename.get(parentId) ?? parentId }),
          position: { x: n.position.x + action.offset.x, y: n.position.y + action.offset.y },
        })),
        edges: action.graph.edges
          .filter((e) => rename.has(e.source) && rename.has(e.target))
          .map((e) => ({
            ...e,
            id: `e_${rename.get(e.source)}_${e.sourceHandle ?? "out"}_${rename.get(e.target)}`,
            source: rename.get(e.source)!,
            target: rename.get(e.target)!,
          })),
      });
      return commit(state, {
        nodes: [
          ...state.nodes.map((n) => ({ ...n, selected: false })),
          ...pasted.nodes.map((n) => ({ ...n, selected: true })),
        ],
        edges: [...state.edges, ...pasted.edges],
      });
    }
    case "setParent":
      return setParent(state, action);
    case "remove": {
      const ids = withInside(state.nodes, action.nodeIds);
      return commit(state, {
        nodes: state.nodes.filter((n) => !ids.has(n.id)),
        edges: state.edges.filter((e) => !ids.has(e.source) && !ids.has(e.target)),
      });
    }
    case "positions":
      return commit(state, {
        nodes: state.nodes.map((n) => {
          const position = action.positions[n.id];
          const size = action.sizes?.[n.id];
          return position || size ? { ...n, ...(position && { position }), ...size } : n;
        }),
        edges: state.edges,
      });
    case "replaceGraph":
      return commit(state, toFlow(action.graph));
    case "select": {
      const ids = new Set(action.nodeIds);
      return {
        ...state,
        nodes: state.nodes.map((n) => ({ ...n, selected: ids.has(n.id) })),
        edges: state.edges.map((e) => ({ ...e, selected: false })),
      };
    }
    case "undo": {
      const previous = state.past.at(-1);
      if (!previous) return state;
      return {
        ...previous,
        past: state.past.slice(0, -1),
        future: [strip(state), ...state.future],
        lastEdit: undefined,
      };
    }
    case "redo": {
      const next = state.future[0];
      if (!next) return state;
      return { ...next, past: [...state.past, strip(state)], future: state.future.slice(1), lastEdit: undefined };
    }
  }
}

/** Kinds a step can be put on a connection with: they take an input and pass something on. */
export const insertableKinds = (Object.keys(nodeKindSpecs) as NodeKind[]).filter(
  (k) => specOf(k).hasInput && specOf(k).outputs(specOf(k).defaultConfig as never).length > 0,
);

const STEP_GAP = 300;

function insertOnEdge(state: EditorState, action: Extract<EditorAction, { type: "insertOnEdge" }>): EditorState {
  const edge = state.edges.find((e) => e.id === action.edgeId);
  const from = state.nodes.find((n) => n.id === edge?.source);
  const to = state.nodes.find((n) => n.id === edge?.target);
  if (!edge || !from || !to || !insertableKinds.includes(action.kind)) return state;
  const spec = specOf(action.kind);
  const id = freshNodeId(
    action.kind,
    state.nodes.map((n) => n.id),
  );
  const config = { ...(structuredClone(spec.defaultConfig) as Record<string, unknown>), ...action.config };
  const out = outputsOf({ kind: action.kind, config })[0]?.id ?? null;
  // Make room: the later step, and every step right of it, moves right when the gap is too small.
  const shift = Math.max(0, from.position.x + 2 * STEP_GAP - to.position.x);
  const moved = state.nodes.map((n) =>
    shift && n.position.x >= to.position.x - 1
      ? { ...n, selected: false, position: { x: n.position.x + shift, y: n.position.y } }
      : { ...n, selected: false },
  );
  const node: FlowNode = {
    id,
    type: "workflow",
    ...(from.parentId && { parentId: from.parentId }),
    position: { x: from.position.x + STEP_GAP, y: Math.round((from.position.y + to.position.y) / 2) },
    selected: true,
    data: { kind: action.kind, label: spec.label, config },
  };
  const handle = edge.sourceHandle ?? null;
  const edges = [
    ...state.edges.filter((e) => e.id !== edge.id),
    { id: `e_${from.id}_${handle ?? "out"}_${id}`, source: from.id, target: id, sourceHandle: handle },
    { id: `e_${id}_${out ?? "out"}_${to.id}`, source: id, target: to.id, sourceHandle: out },
  ];
  const nodes = [...moved, node];
  const { graph, notices } = rewireInsertedStep(fromFlow(nodes, edges), { source: id, target: to.id });
  const configs = new Map(graph.nodes.map((n) => [n.id, n.config]));
  const rewired = nodes.map((n) =>
    configs.get(n.id) === n.data.config ? n : { ...n, data: { ...n.data, config: configs.get(n.id)! } },
  );
  return { ...commit(state, { nodes: rewired, edges }), ...(notices.length && { notices }) };
}

/** The stored graph the editor currently shows. */
export const graphOf = (state: Snapshot): WorkflowGraph => fromFlow(state.nodes, state.edges);

/** The selected nodes and the edges between them, for copy and duplicate. */
export function selectionGraph(state: Snapshot): WorkflowGraph {
  // A selected Loop comes with the steps inside it.
  const chosen = withInside(
    state.nodes,
    state.nodes.filter((n) => n.selected).map((n) => n.id),
  );
  const nodes = state.nodes.filter((n) => chosen.has(n.id));
  const ids = new Set(nodes.map((n) => n.id));
  return fromFlow(
    nodes,
    state.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
  );
}
