"use client";

import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStoreApi,
  type Connection,
  type EdgeChange,
  type InternalNode,
  type NodeChange,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from "react";
import { estimatedBox } from "@/lib/canvas/estimated-box";
import { stepName, type FlowEdge, type FlowNode } from "@/lib/canvas/flow-mapping";
import { specOf } from "@/lib/schemas/node-kinds";
import type { NodeKind } from "@/lib/schemas/workflow";
import { InsertableEdge } from "./edges/insertable-edge";
import { NoteNodeView } from "./nodes/note-node";
import { WorkflowNodeView } from "./nodes/workflow-node";
import { DRAG_TYPE } from "./palette";
import { showWorkflow } from "./zoom";

const nodeTypes = { workflow: WorkflowNodeView, note: NoteNodeView };
const edgeTypes = { insertable: InsertableEdge };

/** Minimap colours per kind's accent, so the overview shows what kind each step is. */
const minimapColour: Record<string, string> = {
  emerald: "#10b981",
  violet: "#8b5cf6",
  sky: "#0ea5e9",
  amber: "#f59e0b",
  orange: "#f97316",
  indigo: "#6366f1",
  slate: "#64748b",
  yellow: "#facc15",
  rose: "#f43f5e",
};

/**
 * React Flow copies each of these props into its store when it changes, and every step and
 * connection drawn then checks the store again: a new array, object or function on each render
 * (each frame of a drag) would do that several times a frame. So they are made once.
 */
const SNAP_GRID: [number, number] = [20, 20];
const DEFAULT_EDGE_OPTIONS = { style: { strokeWidth: 2 } };
const PRO_OPTIONS = { hideAttribution: true };
const DELETE_KEYS = ["Backspace", "Delete"];
const MULTI_SELECT_KEYS = ["Meta", "Control", "Shift"];

/** `handler` as one function for the component's life that calls the latest one given. */
function useSteadyHandler<A extends unknown[]>(handler: ((...args: A) => void) | undefined): (...args: A) => void {
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  return useCallback((...args: A) => latest.current?.(...args), []);
}

/**
 * What React Flow is told of a step's size. Once it has measured the step, the editor's copy
 * carries that size and nothing is added. A step it has not measured gets an estimate
 * (lib/canvas/estimated-box.ts), so that it draws only the steps in view instead of every step
 * once to measure it. A step whose object was replaced without a size (undo, a version shown,
 * a fresher draft) keeps what React Flow holds for it while its handles are the same ones;
 * with other handles (a branch renamed, an error branch added) it gets no size, and React Flow
 * draws and measures it again, as it would without estimates.
 */
function sizeOf(n: FlowNode, internal: InternalNode | undefined): Partial<FlowNode> {
  if (n.measured?.width !== undefined) return {};
  const estimate = estimatedBox(n);
  if (!internal) return estimate;
  const held = internal.internals.handleBounds;
  const ids = (handles: { id?: string | null; type: string }[]) =>
    handles
      .map((h) => `${h.type}:${h.id ?? ""}`)
      .sort()
      .join();
  return internal.measured.width !== undefined &&
    held &&
    ids([...(held.source ?? []), ...(held.target ?? [])]) === ids(estimate.handles)
    ? { measured: { ...internal.measured } }
    : {};
}

/** The connection under a point of the screen, if any (a step dropped there goes onto it). */
function edgeAt(x: number, y: number): string | null {
  for (const el of document.elementsFromPoint(x, y)) {
    const edge = el.closest(".react-flow__edge");
    if (edge) return edge.getAttribute("data-id");
    const button = el.closest("[data-edge-id]");
    if (button) return button.getAttribute("data-edge-id");
  }
  return null;
}

/**
 * The React Flow surface: drop target for the palette (onto empty canvas, or onto a connection
 * to put the step between two), snap to grid, a minimap coloured by kind and zoom controls.
 * Steps and connections carry names a screen reader reads.
 */
export function CanvasView({
  nodes,
  edges,
  readOnly,
  onNodesChange,
  onEdgesChange,
  onConnect,
  onDropKind,
  onDropOnEdge,
  onNodeClick,
  onNodeDragStop,
}: {
  nodes: FlowNode[];
  edges: FlowEdge[];
  readOnly: boolean;
  onNodesChange: (changes: NodeChange<FlowNode>[]) => void;
  onEdgesChange: (changes: EdgeChange[]) => void;
  onConnect: (c: Connection) => void;
  onDropKind: (kind: NodeKind, position: { x: number; y: number }) => void;
  onDropOnEdge: (kind: NodeKind, edgeId: string) => void;
  onNodeClick: () => void;
  /** A drag ended: a step may have entered or left a Loop. */
  onNodeDragStop?: (node: FlowNode) => void;
}) {
  const flow = useReactFlow();
  const store = useStoreApi();
  const nodesChanged = useSteadyHandler(onNodesChange);
  const edgesChanged = useSteadyHandler(onEdgesChange);
  const connected = useSteadyHandler(onConnect);
  const nodeClicked = useSteadyHandler(onNodeClick);
  const dragStopped = useSteadyHandler((_: unknown, node: FlowNode) => onNodeDragStop?.(node));
  // A drag changes one step's position per frame: the others keep their objects (React Flow then
  // redraws only the moved one), and connections are named again only when a step's name changes.
  const labelsKey = JSON.stringify(nodes.map((n) => [n.id, stepName(n)]));
  const labelOf = useMemo(() => {
    const names = new Map(JSON.parse(labelsKey) as [string, string][]);
    return (id: string) => names.get(id) ?? id;
  }, [labelsKey]);
  const [namedOnce] = useState(() => new WeakMap<FlowNode, FlowNode>());
  const named = useMemo(
    () =>
      nodes.map((n) => {
        let shown = namedOnce.get(n);
        // React Flow's copy is looked up only where it matters (not for every step on each frame
        // of a drag): for a step not shown yet, and for one shown with an estimate that React Flow
        // no longer holds (the canvas showed a version and came back), which would undo what it
        // has measured since.
        const internal = shown && !shown.handles ? undefined : flow.getInternalNode(n.id);
        if (shown?.handles && internal && internal.internals.userNode !== shown) shown = undefined;
        if (!shown) {
          shown = {
            ...n,
            ariaLabel: n.data.kind === "note" ? "Sticky note" : `${stepName(n)}, ${specOf(n.data.kind).label} step`,
            ...sizeOf(n, internal),
          };
          namedOnce.set(n, shown);
        }
        return shown;
      }),
    [nodes, namedOnce, flow],
  );
  const namedEdges = useMemo(
    () =>
      edges.map((e) => ({
        ...e,
        type: "insertable",
        ariaLabel: `Connection from ${labelOf(e.source)}${e.sourceHandle ? ` (${e.sourceHandle})` : ""} to ${labelOf(e.target)}`,
      })),
    [edges, labelOf],
  );
  return (
    <div
      className="h-full w-full"
      data-testid="canvas"
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(DRAG_TYPE)) {
          e.preventDefault();
          e.dataTransfer.dropEffect = "move";
        }
      }}
      onDrop={(e) => {
        const kind = e.dataTransfer.getData(DRAG_TYPE) as NodeKind;
        if (!kind || readOnly) return;
        e.preventDefault();
        const edge = edgeAt(e.clientX, e.clientY);
        if (edge) return onDropOnEdge(kind, edge);
        const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
        onDropKind(kind, { x: p.x - 120, y: p.y - 30 });
      }}
    >
      <ReactFlow<FlowNode>
        nodes={named}
        edges={namedEdges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={nodesChanged}
        onEdgesChange={edgesChanged}
        onConnect={connected}
        onNodeClick={nodeClicked}
        onNodeDragStop={dragStopped}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={readOnly ? null : DELETE_KEYS}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        snapToGrid
        snapGrid={SNAP_GRID}
        onInit={(instance) => void showWorkflow(instance, store)}
        minZoom={0.1}
        defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
        connectionRadius={30}
        proOptions={PRO_OPTIONS}
        onlyRenderVisibleElements
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
        <MiniMap
          pannable
          zoomable
          ariaLabel="Minimap: each step in its kind's colour"
          nodeStrokeWidth={2}
          nodeColor={(n) => minimapColour[specOf((n as FlowNode).data.kind).accent] ?? "#94a3b8"}
        />
      </ReactFlow>
    </div>
  );
}
