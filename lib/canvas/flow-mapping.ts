import type { Edge, Node } from "@xyflow/react";
import { specOf } from "../schemas/node-kinds";
import type { NodeKind, NodeSettings, WorkflowGraph } from "../schemas/workflow";

/**
 * The editor's React Flow nodes and edges ↔ the stored graph. React Flow keeps UI state
 * (selection, size, dragging) on its objects; the stored graph keeps only what the workflow
 * means. Both directions are pure and round-trip.
 */
export type FlowNodeData = { kind: NodeKind; label: string; config: Record<string, unknown>; settings?: NodeSettings };
export type FlowNode = Node<FlowNodeData, "workflow" | "note">;
export type FlowEdge = Edge;

/** A Loop's size on the canvas until someone resizes it: room for a few steps inside. */
export const LOOP_SIZE = { width: 620, height: 340 };

/** The nodes with every Loop before the nodes inside it, as React Flow needs them. */
export function parentsFirst<T extends { id: string; parentId?: string }>(nodes: T[]): T[] {
  if (!nodes.some((n) => n.parentId)) return nodes;
  const parent = new Map(nodes.map((n) => [n.id, n.parentId]));
  const depth = (id: string) => {
    let d = 0;
    for (let at = parent.get(id); at && d < 50; at = parent.get(at)) d += 1;
    return d;
  };
  return [...nodes].sort((a, b) => depth(a.id) - depth(b.id));
}

export function toFlow(graph: WorkflowGraph): { nodes: FlowNode[]; edges: FlowEdge[] } {
  return {
    nodes: parentsFirst(graph.nodes).map((n) => ({
      id: n.id,
      type: n.kind === "note" ? "note" : "workflow",
      position: { ...n.position },
      ...(n.parentId && { parentId: n.parentId }),
      ...(n.kind === "loop" && { width: n.size?.width ?? LOOP_SIZE.width, height: n.size?.height ?? LOOP_SIZE.height }),
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

/** A Loop's size, kept only when someone changed it from the default (so a graph round-trips). */
function sized(n: FlowNode): { size?: { width: number; height: number } } {
  const width = round(n.width ?? LOOP_SIZE.width);
  const height = round(n.height ?? LOOP_SIZE.height);
  return width === LOOP_SIZE.width && height === LOOP_SIZE.height ? {} : { size: { width, height } };
}

/** A step's name as people read it: its label, or its kind's. */
export const stepName = (n: FlowNode): string => n.data.label || specOf(n.data.kind).label;

export function fromFlow(nodes: FlowNode[], edges: FlowEdge[]): WorkflowGraph {
  return {
    nodes: nodes.map((n) => ({
      id: n.id,
      kind: n.data.kind,
      label: n.data.label,
      position: { x: round(n.position.x), y: round(n.position.y) },
      config: n.data.config,
      ...(n.data.settings && { settings: n.data.settings }),
      ...(n.parentId && { parentId: n.parentId }),
      ...(n.data.kind === "loop" && sized(n)),
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
