import type { StepRecord } from "../engine/ports";
import { topLevel } from "../engine/graph/loop-body";
import type { WorkflowGraph, WorkflowNode } from "../schemas/workflow";

/**
 * Steps that reach outside the run (a tool, an HTTP request, a child run, a person, an agent
 * that may call tools): an evaluation never runs them. Each is answered from the case's source
 * run (its recorded output, a review's recorded decision) or else from the step's pinned output.
 */
export function effectfulSteps(graph: WorkflowGraph): WorkflowNode[] {
  return topLevel(graph).nodes.filter(
    (n) =>
      ["tool", "http", "sub-workflow", "loop", "human-review"].includes(n.kind) ||
      (n.kind === "agent" && Array.isArray(n.config.tools) && n.config.tools.length > 0) ||
      // A guardrail that asks a person on a failure would file a review.
      (n.kind === "guardrail" && n.config.onFail === "review"),
  );
}

const kindName: Record<string, string> = {
  tool: "Tool",
  http: "HTTP Request",
  "sub-workflow": "Sub-workflow",
  loop: "Loop",
  "human-review": "Human Review",
  agent: "Agent (with tools)",
  guardrail: "Guardrail (with a review)",
};

/**
 * What answers each effectful step in a case's run: the case's source run's record of it (a
 * review's recorded decision with its branch), else the step's pin (not for reviews: a decision
 * is not typed). `missing` names the steps nothing answers: the case cannot run.
 */
export function answersFor(
  effectful: WorkflowNode[],
  recorded: StepRecord[],
  pins: Record<string, unknown>,
): { answers: Record<string, unknown>; handles: Record<string, string | null>; missing: string[] } {
  const answers: Record<string, unknown> = {};
  const handles: Record<string, string | null> = {};
  const missing: string[] = [];
  for (const node of effectful) {
    const step = recorded.find((s) => s.nodeId === node.id && s.status === "done");
    if (step) {
      answers[node.id] = step.output;
      handles[node.id] = step.handle ?? null;
    } else if (Object.hasOwn(pins, node.id) && node.kind !== "human-review") answers[node.id] = pins[node.id];
    else missing.push(`the ${kindName[node.kind]} step “${node.label || node.id}”`);
  }
  return { answers, handles, missing };
}
