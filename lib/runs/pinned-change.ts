import type { RunChange, StepRecord } from "../engine/ports";
import { topLevel } from "../engine/graph/loop-body";
import { PINNABLE_KINDS } from "../engine/graph/pinned-steps";
import { storedPinsSchema } from "../schemas/pins";
import type { StandIn } from "../schemas/run";
import type { WorkflowGraph } from "../schemas/workflow";

/** The outputs of a workflow's stored pins, by node id. */
export const pinnedOutputs = (stored: unknown): Record<string, unknown> =>
  Object.fromEntries(Object.entries(storedPinsSchema.parse(stored ?? {})).map(([id, p]) => [id, p.output]));

/**
 * The first write of a test run that starts from pins: its start, each pinned step done (its
 * event says `pinned`, so the run page shows it), each step left out skipped.
 */
export function pinnedChange(input: Record<string, unknown>, steps: StepRecord[]): Required<RunChange> {
  return {
    steps,
    events: [
      {
        type: "run.started",
        payload: { input, pinned: steps.filter((s) => s.status === "done").map((s) => s.nodeId) },
      },
      ...steps.map((s) =>
        s.status === "done"
          ? {
              type: "step.completed" as const,
              nodeId: s.nodeId,
              payload: { attempt: 1, output: s.output, handle: s.handle ?? null, reused: true, pinned: true },
            }
          : { type: "step.skipped" as const, nodeId: s.nodeId, payload: { leftOut: "only a pinned step needed it" } },
      ),
    ],
  };
}

/**
 * The pins a test run could not apply before it started (their step comes after a branch the
 * run decides): each answers its step when the run reaches it (`Run.standIns`), so the step is
 * not run there either.
 */
export function laterPins(
  graph: WorkflowGraph,
  pins: Record<string, unknown>,
  applied: StepRecord[],
): Record<string, StandIn> {
  const done = new Set(applied.filter((s) => s.status === "done").map((s) => s.nodeId));
  return Object.fromEntries(
    topLevel(graph)
      .nodes.filter((n) => Object.hasOwn(pins, n.id) && PINNABLE_KINDS.includes(n.kind) && !done.has(n.id))
      .map((n) => [n.id, { as: "pinned", output: pins[n.id], handle: null } satisfies StandIn]),
  );
}
