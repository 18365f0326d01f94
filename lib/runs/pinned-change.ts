import type { RunChange, StepRecord } from "../engine/ports";
import { storedPinsSchema } from "../schemas/pins";

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
