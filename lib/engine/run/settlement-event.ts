import type { RunEventInput, RunSettlement } from "../ports";

/** The event that tells a run's followers how it ended (or that it waits). */
export function settlementEvent(s: RunSettlement): RunEventInput {
  switch (s.status) {
    case "completed":
      return { type: "run.completed", payload: { output: s.output } };
    case "waiting":
      return { type: "run.waiting", payload: { waitingOn: s.waitingOn } };
    case "failed":
      return { type: "run.failed", ...(s.nodeId ? { nodeId: s.nodeId } : {}), payload: { error: s.error } };
    case "cancelled":
      return { type: "run.cancelled" };
  }
}
