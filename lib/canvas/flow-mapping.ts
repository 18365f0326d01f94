import type { Edge, Node } from "@xyflow/react";
import type { NodeKind, NodeSettings, WorkflowGraph } from "../schemas/workflow";

/**
 * The editor's React Flow nodes and edges ↔ the stored graph. React Flow keeps UI state
 * (selection, size, dragging) on its objects; the stored graph keeps only what the workflow
 * means. Both directions are pure and round-trip.
 */
export type FlowNodeData = { kind: NodeKind; label: string; config: Record<string, unknown>; settings?: NodeSettings };
export type FlowNode = Node<FlowNodeData, "workflow" | "note">;
export type FlowEdge = Edge;

export function toFlow(graph: WorkflowGraph): { nodes: FlowNode[]; edges: FlowEdge[] } {
  return {
    nodes: graph.nodes.map((n) => ({
      id: n.id,
      type: n.kind === "note" ? "note" : "workflow",
      position: { ...n.position },
      data: {
        kind: n.kind,
        label: n.label,
        config: structuredClone(n.config),
        ...(n.settings && { settings: { ...n.settings } }),
      },
    })),
    edges: graph.edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      sourceHandle: e.sourceHandle ?? null,
    })),
  };
}

const round = (v: number) => Math.round(v * 10) / 10;

export function fromFlow(nodes: FlowNode[], edges: FlowEdge[]): WorkflowGraph {
  return {
    nodes: nodes.map((n) => ({
      id: n.id,
      kind: n.data.kind,
      label: n.data.label,
      position: { x: round(n.position.x), y: round(n.position.y) },
      config: n.data.config,
      ...(n.data.settings && { settings: n.data.settings }),
    })),
    edges: edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      ...(e.sourceHandle ? { sourceHandle: e.sourceHandle } : {}),
    })),
  };
}

/** A node id not used yet in the graph, readable: agent_2, condition_1, … */
export function freshNodeId(kind: NodeKind, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base = kind.replace(/-/g, "_");
  for (let i = 1; ; i += 1) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}
