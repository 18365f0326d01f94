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
import type { FlowEdge, FlowNode } from "@/lib/canvas/flow-mapping";
import type { NodeKind } from "@/lib/schemas/workflow";
import { NoteNodeView } from "./nodes/note-node";
import { WorkflowNodeView } from "./nodes/workflow-node";
import { DRAG_TYPE } from "./palette";

const nodeTypes = { workflow: WorkflowNodeView, note: NoteNodeView };

/** The React Flow surface: drop target for the palette, snap to grid, minimap and zoom controls. */
export function CanvasView({
  nodes,
  edges,
  readOnly,
  onNodesChange,
  onEdgesChange,
  onConnect,
  onDropKind,
  onNodeClick,
}: {
  nodes: FlowNode[];
  edges: FlowEdge[];
  readOnly: boolean;
  onNodesChange: (changes: NodeChange<FlowNode>[]) => void;
  onEdgesChange: (changes: EdgeChange[]) => void;
  onConnect: (c: Connection) => void;
  onDropKind: (kind: NodeKind, position: { x: number; y: number }) => void;
  onNodeClick: () => void;
}) {
  const flow = useReactFlow();
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
        const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
        onDropKind(kind, { x: p.x - 110, y: p.y - 30 });
      }}
    >
      <ReactFlow<FlowNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeClick={onNodeClick}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={readOnly ? null : ["Backspace", "Delete"]}
        multiSelectionKeyCode={["Meta", "Control", "Shift"]}
        snapToGrid
        snapGrid={[20, 20]}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1.2, minZoom: 0.45 }}
        minZoom={0.1}
        defaultEdgeOptions={{ style: { strokeWidth: 1.5 } }}
        proOptions={{ hideAttribution: true }}
        onlyRenderVisibleElements
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable ariaLabel="Minimap" nodeStrokeWidth={2} />
      </ReactFlow>
    </div>
  );
}
