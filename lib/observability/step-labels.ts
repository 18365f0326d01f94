import { workflowGraphSchema } from "../schemas/workflow";

/**
 * The names people gave a graph's steps, by node id (a step without a name is its id). Figures
 * are kept per node id; this is what a person reads instead. An unreadable graph names nothing.
 */
export function stepLabels(graph: unknown): Record<string, string> {
  const parsed = workflowGraphSchema.safeParse(graph);
  return Object.fromEntries((parsed.success ? parsed.data.nodes : []).map((n) => [n.id, n.label || n.id]));
}
