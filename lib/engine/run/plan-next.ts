import type { WorkflowGraph } from "../../schemas/workflow";
import type { StepRecord } from "../ports";
import { edgeActivity } from "./edge-activity";

/**
 * The pure heart of the scheduler: from the graph and the steps so far, which nodes can start
 * now, and which will never run (every way in is dead). A join waits until all its inputs are
 * settled and runs if at least one is live, so a branch not taken does not block it.
 */
export function planNext(
  graph: WorkflowGraph,
  steps: Map<string, StepRecord>,
  /**
   * Steps each step reads besides its inputs (by reference, all upstream): it waits for them
   * too. Edges already order them, except in a run that started with pinned steps done, where
   * a step after a pin could otherwise start before a step it reads has run.
   */
  waits?: Map<string, string[]>,
): { ready: string[]; skip: string[] } {
  const ready: string[] = [];
  const skip: string[] = [];
  const incoming = new Map<string, WorkflowGraph["edges"]>();
  for (const e of graph.edges) incoming.set(e.target, [...(incoming.get(e.target) ?? []), e]);
  for (const node of graph.nodes) {
    if (node.kind === "note" || steps.has(node.id)) continue;
    const ins = incoming.get(node.id) ?? [];
    if (node.kind === "start") {
      ready.push(node.id);
      continue;
    }
    if (ins.length === 0) continue; // unconnected: validation refuses such graphs
    const states = ins.map((e) => edgeActivity(e, steps.get(e.source)));
    if (states.includes("unknown")) continue;
    if (waits?.get(node.id)?.some((id) => !steps.has(id))) continue;
    (states.includes("live") ? ready : skip).push(node.id);
  }
  return { ready, skip };
}
