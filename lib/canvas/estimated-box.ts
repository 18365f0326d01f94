import { Position, type NodeHandle } from "@xyflow/react";
import { specOf } from "../schemas/node-kinds";
import { outputsOf } from "../schemas/node-kinds/outputs";
import { LOOP_SIZE, type FlowNode } from "./flow-mapping";

/**
 * What React Flow may take a step's size and handles to be until it has drawn and measured it.
 * Without them it draws every step once to measure it (all 500 of a large workflow, half a
 * second and more) before it can leave out those off screen (`onlyRenderVisibleElements`).
 * With them it draws only the steps in view, and counts the others at this size (zoom to fit,
 * the minimap). A step drawn is measured at once (React Flow observes its size whenever it is
 * drawn) and its real size and handles replace these; until then a connection to a step off
 * screen ends where its handle is estimated to be, a few pixels off at most.
 *
 * The sizes follow the step's markup (components/canvas/nodes/workflow-node.tsx): 240 wide, a
 * header and a one-line summary; a step with named outputs (a Condition's branches, an error
 * branch) lists them below, one handle per row.
 */
const WIDTH = 240;
/**
 * Half a pixel over the markup's height: never a size React Flow measures (whole pixels), so it
 * reports a step's first real measurement as a change of size and the editor's copy of the step
 * learns it (where a new step lands, a Loop's frame), as when it measured every step.
 */
const BODY = 86.5;
const HANDLE = 16;
const ROW = 22;
const NOTE = { width: 200, height: 64.5 };

type Estimate = { measured: { width: number; height: number }; handles: NodeHandle[] };

const handle = (type: "source" | "target", id: string | null, x: number, centreY: number): NodeHandle => ({
  type,
  id,
  position: type === "source" ? Position.Right : Position.Left,
  x: x - HANDLE / 2,
  y: centreY - HANDLE / 2,
  width: HANDLE,
  height: HANDLE,
});

export function estimatedBox(n: FlowNode): Estimate {
  const kind = n.data.kind;
  if (kind === "note") return { measured: { ...NOTE }, handles: [] };
  const spec = specOf(kind);
  const outputs = outputsOf(n.data);
  if (kind === "loop") {
    // A frame: its handles sit beside its header (`top: 44` in the markup).
    const width = n.width ?? LOOP_SIZE.width;
    return {
      measured: { width, height: (n.height ?? LOOP_SIZE.height) + 0.5 },
      handles: [
        ...(spec.hasInput ? [handle("target", null, 0, 44)] : []),
        ...outputs.map((o) => handle("source", o.id, width, 44)),
      ],
    };
  }
  const listed = outputs.length > 1 || (outputs.length === 1 && outputs[0]!.id !== null);
  const height = listed ? BODY + 17 + outputs.length * ROW - 6 : BODY;
  return {
    measured: { width: WIDTH, height },
    handles: [
      ...(spec.hasInput ? [handle("target", null, 0, height / 2)] : []),
      ...(listed
        ? outputs.map((o, i) => handle("source", o.id, WIDTH, BODY + 9 + i * ROW + 8))
        : outputs.map((o) => handle("source", o.id, WIDTH, height / 2))),
    ],
  };
}
