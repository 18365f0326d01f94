import { specOf } from "../schemas/node-kinds";
import { outputsOf } from "../schemas/node-kinds/outputs";
import type { NodeKind } from "../schemas/workflow";
import type { FlowEdge, FlowNode } from "./flow-mapping";
import { freePosition } from "./free-position";

/** Room between a step and the one added after it. */
const GAP = 60;

/**
 * Whether a step of `kind` can be added after `from`, connected: `from` passes something on (an
 * Output or a note does not) and the new kind takes an input (a Start or a note does not).
 */
export function canFollow(from: Pick<FlowNode, "data"> | undefined, kind: NodeKind): boolean {
  return !!from && specOf(kind).hasInput && outputsOf(from.data).length > 0;
}

/**
 * The output of `from` a step added after it hangs on: the first one nothing is connected to
 * yet (a Condition's next branch once its first has a step, then "else"), else its first; never
 * the error branch, which is drawn to on purpose.
 */
export function freeOutput(from: FlowNode, edges: FlowEdge[]): string | null {
  const outputs = outputsOf(from.data).filter((o) => o.id !== "error");
  const used = new Set(edges.filter((e) => e.source === from.id).map((e) => e.sourceHandle ?? null));
  return (outputs.find((o) => !used.has(o.id)) ?? outputs[0])?.id ?? null;
}

/**
 * Where a step added after `from` goes: right of it, on its level (inside the same Loop, its
 * position relative to it), moved down past any step there already (a second branch).
 */
export function spotAfter(from: FlowNode, nodes: FlowNode[]): { x: number; y: number } {
  const width = from.measured?.width ?? from.width ?? 240;
  const siblings = nodes.filter((n) => n.id !== from.id && n.parentId === from.parentId);
  return freePosition(siblings, { x: from.position.x + Math.max(300, width + GAP), y: from.position.y });
}
