"use client";

import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useMemo } from "react";
import type { FlowEdge, FlowNode } from "@/lib/canvas/flow-mapping";
import { specOf } from "@/lib/schemas/node-kinds";
import type { NodeKind } from "@/lib/schemas/workflow";
import { InsertableEdge } from "./edges/insertable-edge";
import { NoteNodeView } from "./nodes/note-node";
import { WorkflowNodeView } from "./nodes/workflow-node";
import { DRAG_TYPE } from "./palette";

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

/** Zoom to fit: small graphs stay at full size (readable text); larger ones are shown whole down to 60%. */
export const FIT_VIEW = { padding: 0.08, maxZoom: 1, minZoom: 0.6 };

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
  const labelOf = useMemo(() => {
    const names = new Map(nodes.map((n) => [n.id, n.data.label || specOf(n.data.kind).label]));
    return (id: string) => names.get(id) ?? id;
  }, [nodes]);
  const named = useMemo(
    () =>
      nodes.map((n) => ({
        ...n,
        ariaLabel: n.data.kind === "note" ? "Sticky note" : `${labelOf(n.id)}, ${specOf(n.data.kind).label} step`,
      })),
    [nodes, labelOf],
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
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeClick={onNodeClick}
        onNodeDragStop={(_, node) => onNodeDragStop?.(node)}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={readOnly ? null : ["Backspace", "Delete"]}
        multiSelectionKeyCode={["Meta", "Control", "Shift"]}
        snapToGrid
        snapGrid={[20, 20]}
        fitView
        fitViewOptions={FIT_VIEW}
        minZoom={0.1}
        defaultEdgeOptions={{ style: { strokeWidth: 2 } }}
        connectionRadius={30}
        proOptions={{ hideAttribution: true }}
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
