import { specOf } from "../schemas/node-kinds";
import type { FlowEdge, FlowNodeData } from "./flow-mapping";

/**
 * A step's output handles as its config names them, even while one of its fields is invalid
 * (a branch name being typed): null when the config is too far from its kind's shape to tell.
 */
function outputIds(data: Pick<FlowNodeData, "kind" | "config">): (string | null)[] | null {
  try {
    return specOf(data.kind)
      .outputs(data.config as never)
      .map((o) => o.id);
  } catch {
    return null;
  }
}

const edgeId = (source: string, handle: string | null, target: string) => `e_${source}_${handle ?? "out"}_${target}`;

/**
 * The connections of step `id` after its config changed what its outputs are called: an output
 * renamed in place (a Condition's branch "yes" typed over as "refund") keeps its connections,
 * which follow the new name; an output that is gone (a branch removed) takes its connections
 * with it. Connections from outputs the config never named (a stale one, shown in Problems) are
 * left as they are. The same edges array when nothing changes.
 */
export function followOutputs(
  edges: FlowEdge[],
  id: string,
  before: Pick<FlowNodeData, "kind" | "config">,
  after: Pick<FlowNodeData, "kind" | "config">,
): FlowEdge[] {
  const old = outputIds(before);
  const now = outputIds(after);
  if (!old || !now || old.join("\0") === now.join("\0")) return edges;
  const renamed = new Map<string, string>();
  const gone = new Set<string>();
  if (old.length === now.length)
    // Renamed in place: the same place in the list, an old name no longer there, a new one not
    // there before (a name typed to match another branch's leaves its connections where they were).
    old.forEach((name, i) => {
      const next = now[i];
      if (name !== null && next != null && name !== next && !now.includes(name) && !old.includes(next))
        renamed.set(name, next);
    });
  // A branch added or removed: an output no longer named went, with its connections.
  else for (const name of old) if (name !== null && !now.includes(name)) gone.add(name);
  if (!renamed.size && !gone.size) return edges;
  const taken = new Set(edges.map((e) => e.id));
  const out: FlowEdge[] = [];
  for (const edge of edges) {
    const handle = edge.sourceHandle ?? null;
    if (edge.source !== id || handle === null) {
      out.push(edge);
      continue;
    }
    if (gone.has(handle)) continue;
    const to = renamed.get(handle);
    if (to === undefined) {
      out.push(edge);
      continue;
    }
    // Already connected from the new name to the same step: the renamed one would repeat it.
    if (edges.some((e) => e.source === id && e.target === edge.target && (e.sourceHandle ?? null) === to)) continue;
    const fresh = edgeId(id, to, edge.target);
    out.push({ ...edge, sourceHandle: to, id: taken.has(fresh) ? edge.id : fresh });
    taken.add(fresh);
  }
  return out;
}
