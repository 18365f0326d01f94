import type { NodeKind, WorkflowGraph, WorkflowNode } from "../schemas/workflow";

/**
 * How a draft differs from a version: per node, and which of its fields changed (a config key,
 * `label`, `kind`, `settings.<key>`, or `parentId` for a step moved into or out of a Loop).
 */
export interface GraphDiff {
  added: string[];
  removed: string[];
  changed: { id: string; fields: string[] }[];
  edgesAdded: string[];
  edgesRemoved: string[];
  /** Every node of either graph by id, as the draft names it (or the version, for one removed). */
  nodes: Record<string, { label: string; kind: NodeKind }>;
}

const edgeKey = (e: WorkflowGraph["edges"][number]) => `${e.source}:${e.sourceHandle ?? ""}→${e.target}`;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function changedFields(a: WorkflowNode, b: WorkflowNode): string[] {
  const fields: string[] = [];
  if (a.kind !== b.kind) fields.push("kind");
  if (a.label !== b.label) fields.push("label");
  const keys = new Set([...Object.keys(a.config), ...Object.keys(b.config)]);
  for (const k of keys) if (!same(a.config[k], b.config[k])) fields.push(k);
  const settings = new Set([...Object.keys(a.settings ?? {}), ...Object.keys(b.settings ?? {})]);
  for (const k of settings)
    if (!same(a.settings?.[k as keyof typeof a.settings], b.settings?.[k as keyof typeof b.settings]))
      fields.push(`settings.${k}`);
  if ((a.parentId ?? null) !== (b.parentId ?? null)) fields.push("parentId");
  return fields;
}

/** `base` is the older graph (a version), `next` the newer (the draft). Positions and sizes are ignored. */
export function diffGraphs(base: WorkflowGraph, next: WorkflowGraph): GraphDiff {
  const before = new Map(base.nodes.map((n) => [n.id, n]));
  const after = new Map(next.nodes.map((n) => [n.id, n]));
  const beforeEdges = new Set(base.edges.map(edgeKey));
  const afterEdges = new Set(next.edges.map(edgeKey));
  const nodes: GraphDiff["nodes"] = {};
  for (const n of [...base.nodes, ...next.nodes]) nodes[n.id] = { label: n.label || n.id, kind: n.kind };
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
    nodes,
  };
}

/** Whether the two graphs run alike: nothing added, removed, changed or connected otherwise (moving a step is no change). */
export function noDifference(d: GraphDiff): boolean {
  return !d.added.length && !d.removed.length && !d.changed.length && !d.edgesAdded.length && !d.edgesRemoved.length;
}
