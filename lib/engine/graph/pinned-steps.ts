import type { WorkflowGraph, WorkflowNode } from "../../schemas/workflow";
import type { StepRecord } from "../ports";
import { adjacency } from "./adjacency";
import { topLevel } from "./loop-body";
import { expressionNodeIds, findReferences } from "./references";
import { walk } from "./walk";

/** Kinds whose output may be pinned: steps with one way out that no person decides. */
export const PINNABLE_KINDS: readonly string[] = ["agent", "tool", "http", "code", "transform", "sub-workflow"];

/** The node ids a node's config names, in templates and expressions. */
function named(config: unknown): Set<string> {
  const text = JSON.stringify(config ?? {});
  return new Set([...findReferences(text).map((r) => r.nodeId), ...expressionNodeIds(text)]);
}

/** A step that chooses among its ways on: which one is known only once it has run. */
const branches = (n: WorkflowNode) =>
  n.kind === "condition" || n.kind === "guardrail" || n.kind === "human-review" || n.settings?.onError === "branch";

/**
 * Pins that cannot be applied before the run: a step after a branch that runs in this run (its
 * way is not known yet), or on a way a pinned branch did not take. Recorded as done up front,
 * such a step would carry the run on along a branch not taken; it is answered when the run gets
 * there instead.
 */
export function behindABranch(
  graph: WorkflowGraph,
  pinned: Set<string>,
): { late: Set<string>; unreached: Set<string> } {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  // Ways on that are open before the run: every edge, but a pinned step with an error branch's only its main way.
  const open = graph.edges.filter(
    (e) => !(pinned.has(e.source) && branches(nodes.get(e.source)!)) || (e.sourceHandle ?? null) === null,
  );
  const next = new Map<string, string[]>();
  for (const e of open) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const reached = new Set(graph.nodes.filter((n) => n.kind === "start").map((n) => n.id));
  const afterBranch = new Set<string>();
  for (const stack = [...reached]; stack.length;) {
    const id = stack.pop()!;
    const node = nodes.get(id)!;
    for (const to of next.get(id) ?? []) {
      const late = afterBranch.has(id) || (branches(node) && !pinned.has(id));
      if (late && !afterBranch.has(to)) {
        afterBranch.add(to);
        stack.push(to);
      }
      if (!reached.has(to)) {
        reached.add(to);
        stack.push(to);
      }
    }
  }
  return {
    late: new Set([...pinned].filter((id) => reached.has(id) && afterBranch.has(id))),
    unreached: new Set([...pinned].filter((id) => !reached.has(id))),
  };
}

/**
 * The upstream steps each step names in its config (besides its inputs), for the scheduler:
 * with pinned steps done from the start, a step after a pin must still wait for them.
 */
export function referenceWaits(graph: WorkflowGraph): Map<string, string[]> {
  const { in: inc } = adjacency(graph);
  const waits = new Map<string, string[]>();
  for (const node of graph.nodes) {
    const upstream = walk(node.id, inc);
    const ids = [...named(node.config)].filter((id) => id !== node.id && upstream.has(id));
    if (ids.length) waits.set(node.id, ids);
  }
  return waits;
}

/**
 * How a test run of the draft starts when steps have pinned outputs: each pinned step is done
 * already, with its pinned output, and a step before it that is needed by nothing else (all
 * its ways on lead to pinned or left-out steps, and no step that runs names it) is left out
 * (skipped), so an expensive step before a pin is not run again. The Start step always runs.
 * Only top-level steps of a pinnable kind are pinned; other pins are ignored. A pinned step
 * with an error branch takes its main way. A pin that cannot be applied up front (after a branch)
 * answers its step when the run gets there (lib/runs/pinned-change.ts, `laterPins`).
 */
export function pinnedStart(graph: WorkflowGraph, pins: Record<string, unknown>, now: number): StepRecord[] {
  const top = topLevel(graph);
  const asked = new Set(
    top.nodes.filter((n) => Object.hasOwn(pins, n.id) && PINNABLE_KINDS.includes(n.kind)).map((n) => n.id),
  );
  const { late, unreached } = behindABranch(top, asked);
  const pinned = top.nodes.filter((n) => asked.has(n.id) && !late.has(n.id) && !unreached.has(n.id));
  if (!pinned.length) return [];
  const isPinned = new Set(pinned.map((n) => n.id));
  const { out } = adjacency(top);
  const names = new Map(top.nodes.map((n) => [n.id, named(n.config)]));
  // The most that can be left out: shrink the candidates until none is needed by a step that runs.
  const left = new Set(
    top.nodes
      .filter((n) => n.kind !== "start" && n.kind !== "note" && !isPinned.has(n.id) && out.get(n.id)!.length > 0)
      .map((n) => n.id),
  );
  const runs = (id: string) => !isPinned.has(id) && !left.has(id);
  for (let changed = true; changed;) {
    changed = false;
    for (const id of left) {
      const needed =
        out.get(id)!.some(runs) || top.nodes.some((n) => n.kind !== "note" && runs(n.id) && names.get(n.id)!.has(id));
      if (needed) {
        left.delete(id);
        changed = true;
      }
    }
  }
  const kindOf = new Map(top.nodes.map((n) => [n.id, n.kind]));
  return [
    ...pinned.map((n): StepRecord => ({
      nodeId: n.id,
      kind: n.kind,
      attempt: 1,
      status: "done",
      output: pins[n.id],
      handle: null,
      startedAt: now,
      endedAt: now,
    })),
    ...[...left].map((id): StepRecord => ({
      nodeId: id,
      kind: kindOf.get(id)!,
      attempt: 1,
      status: "skipped",
      startedAt: now,
      endedAt: now,
    })),
  ];
}
