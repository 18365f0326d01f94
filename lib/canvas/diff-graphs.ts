import type { WorkflowGraph, WorkflowNode } from "../schemas/workflow";

/** How a draft differs from a version: per node, and which of its fields changed. */
export interface GraphDiff {
  added: string[];
  removed: string[];
  changed: { id: string; fields: string[] }[];
  edgesAdded: string[];
  edgesRemoved: string[];
}

const edgeKey = (e: WorkflowGraph["edges"][number]) => `${e.source}:${e.sourceHandle ?? ""}→${e.target}`;

function changedFields(a: WorkflowNode, b: WorkflowNode): string[] {
  const fields: string[] = [];
  if (a.kind !== b.kind) fields.push("kind");
  if (a.label !== b.label) fields.push("label");
  const keys = new Set([...Object.keys(a.config), ...Object.keys(b.config)]);
  for (const k of keys) if (JSON.stringify(a.config[k]) !== JSON.stringify(b.config[k])) fields.push(k);
  return fields;
}

/** `base` is the older graph (a version), `next` the newer (the draft). Positions are ignored. */
export function diffGraphs(base: WorkflowGraph, next: WorkflowGraph): GraphDiff {
  const before = new Map(base.nodes.map((n) => [n.id, n]));
  const after = new Map(next.nodes.map((n) => [n.id, n]));
  const beforeEdges = new Set(base.edges.map(edgeKey));
  const afterEdges = new Set(next.edges.map(edgeKey));
  return {
    added: next.nodes.filter((n) => !before.has(n.id)).map((n) => n.id),
    removed: base.nodes.filter((n) => !after.has(n.id)).map((n) => n.id),
    changed: next.nodes.flatMap((n) => {
      const old = before.get(n.id);
      const fields = old ? changedFields(old, n) : [];
      return fields.length ? [{ id: n.id, fields }] : [];
    }),
    edgesAdded: [...afterEdges].filter((k) => !beforeEdges.has(k)),
    edgesRemoved: [...beforeEdges].filter((k) => !afterEdges.has(k)),
  };
}
