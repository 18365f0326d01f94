import type { WorkflowEdge } from "../../schemas/workflow";
import type { StepRecord } from "../ports";

/**
 * Whether an edge carries the run onward: its source finished and chose this edge's handle
 * ("live"), or its source was skipped or took another branch ("dead"), or not yet known.
 */
export function edgeActivity(edge: WorkflowEdge, source: StepRecord | undefined): "live" | "dead" | "unknown" {
  if (!source) return "unknown";
  if (source.status === "skipped") return "dead";
  if (source.status !== "done") return "unknown";
  return (source.handle ?? null) === (edge.sourceHandle ?? null) ? "live" : "dead";
}
