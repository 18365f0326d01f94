import { specOf } from "../schemas/node-kinds";
import { kindsWithSettings } from "../schemas/node-kinds/outputs";
import type { FlowEdge, FlowNodeData } from "./flow-mapping";

type StepData = Pick<FlowNodeData, "kind" | "config" | "settings">;

/**
 * A step's output handles in order, as its config and settings name them, even while one of its
 * fields is invalid (a branch name being typed): null when the config is too far from its
 * kind's shape to tell. As `outputsOf`, with "error" last when failures take an error branch.
 */
function outputIds(data: StepData): (string | null)[] | null {
  try {
    const ids = specOf(data.kind)
      .outputs(data.config as never)
      .map((o) => o.id);
    return data.settings?.onError === "branch" && kindsWithSettings.includes(data.kind) ? [...ids, "error"] : ids;
  } catch {
    return null;
  }
}

const edgeId = (source: string, handle: string | null, target: string) => `e_${source}_${handle ?? "out"}_${target}`;

/** Where a connection leaves its step: the place of its output in the list, kept while names are typed. */
type Placed = FlowEdge & { data?: { output?: number } };

/** The one place where `now` differs from `old` by a single output added (+1) or removed (-1), or null. */
function oneChange(old: (string | null)[], now: (string | null)[]): { at: number; by: 1 | -1 } | null {
  const by = now.length - old.length;
  if (by !== 1 && by !== -1) return null;
  const [longer, shorter] = by === 1 ? [now, old] : [old, now];
  let at = 0;
  while (at < shorter.length && longer[at] === shorter[at]) at += 1;
  return longer.slice(at + 1).every((id, i) => id === shorter[at + i]) ? { at, by } : null;
}

/**
 * The connections of step `id` after its config or settings changed its outputs. A connection
 * belongs to the output's place in the list, not its name: an output renamed in place (a
 * Condition's branch "yes" typed over as "refund", even through a name another output has for
 * a moment) keeps its connections, which follow the new name; an output added or removed moves
 * the ones after it, and a removed one takes its connections along. Each connection remembers
 * its place (`data.output`, never stored) so typing through a clash loses nothing; one from a
 * name the list never had (shown in Problems) is left as it is. The same array when nothing changes.
 */
export function followOutputs(edges: FlowEdge[], id: string, before: StepData, after: StepData): FlowEdge[] {
  const old = outputIds(before);
  const now = outputIds(after);
  if (!old || !now || old.join("\0") === now.join("\0")) return edges;
  const change = old.length === now.length ? { at: old.length, by: 0 as const } : oneChange(old, now);
  const placeOf = (edge: Placed): number => {
    const kept = edge.data?.output;
    return kept !== undefined && old[kept] === (edge.sourceHandle ?? null)
      ? kept
      : old.indexOf(edge.sourceHandle ?? null);
  };
  let changed = false;
  const out: FlowEdge[] = [];
  for (const edge of edges as Placed[]) {
    const handle = edge.sourceHandle ?? null;
    const at = edge.source === id ? placeOf(edge) : -1;
    if (at < 0) {
      out.push(edge);
      continue;
    }
    if (!change) {
      // Not one output renamed, added or removed: a connection whose name went goes with it.
      if (now.includes(handle)) out.push(edge);
      else changed = true;
      continue;
    }
    if (change.by === -1 && at === change.at) {
      changed = true; // its output was removed
      continue;
    }
    const place = at >= change.at ? at + change.by : at;
    const to = now[place] ?? null;
    if (to === handle && edge.data?.output === place) {
      out.push(edge);
      continue;
    }
    changed = true;
    out.push({
      ...edge,
      sourceHandle: to,
      data: { ...edge.data, output: place },
      ...(to !== handle && { id: edgeId(id, to, edge.target) }),
    });
  }
  if (!changed) return edges;
  // Ids stay unique: a renamed connection whose new id is taken keeps a distinct one.
  const seen = new Set<string>();
  return out.map((e) => {
    if (!seen.has(e.id)) return (seen.add(e.id), e);
    let n = 2;
    while (seen.has(`${e.id}_${n}`)) n += 1;
    const unique = `${e.id}_${n}`;
    seen.add(unique);
    return { ...e, id: unique };
  });
}
