import type { WorkflowEdge } from "../../schemas/workflow";
import type { StepRecord } from "../ports";

/**
 * Whether an edge carries the run onward: its source finished and chose this edge's handle
 * ("live"), or its source was skipped or took another branch ("dead"), or not yet known.
 */
export function edgeActivity(edge: WorkflowEdge, source: StepRecord | undefined): "live" | "dead" | "unknown" {
  if (!source) return "unknown";
  if (source.status === "skipped") return "dead";
  // A failure handled by an error branch continues along "error" only.
  if (source.status === "failed" && source.handle === "error") return edge.sourceHandle === "error" ? "live" : "dead";
  if (source.status !== "done") return "unknown";
  return (source.handle ?? null) === (edge.sourceHandle ?? null) ? "live" : "dead";
}
