import { outputsOf } from "@/lib/schemas/node-kinds/outputs";
import type { WorkflowGraph, WorkflowNode } from "@/lib/schemas/workflow";

/**
 * A step's outputs that nothing is connected to, when it has several and some are connected:
 * said, not flagged as a problem (a Condition's "else" often does nothing), so a builder knows a
 * Guardrail's failed check, say, ends the branch there. (No connection at all is a problem:
 * "leads nowhere".)
 */
export function OpenOutputs({ node, graph }: { node: WorkflowNode; graph: WorkflowGraph }) {
  // A Guardrail set to fail the step never takes "fail": the step (and the run) fails instead.
  const outputs = outputsOf(node).filter(
    (o) => !(node.kind === "guardrail" && o.id === "fail" && node.config.onFail === "fail"),
  );
  if (outputs.length < 2) return null;
  const used = new Set(graph.edges.filter((e) => e.source === node.id).map((e) => e.sourceHandle ?? null));
  const open = outputs.filter((o) => !used.has(o.id));
  if (used.size === 0 || open.length === 0) return null;
  const names = open.map((o) => `“${o.label || "next"}”`).join(" or ");
  return (
    <p className="rounded-md bg-slate-50 p-2 text-xs text-slate-700 ring-1 ring-slate-200" data-testid="open-outputs">
      Nothing is connected to {names}: when this step goes that way,{" "}
      {node.parentId
        ? "this item of the Loop ends there (with no result, unless another of its branches reaches an Output)."
        : "this branch ends there and nothing after it runs."}
    </p>
  );
}
