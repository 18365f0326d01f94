import type { StepRecord } from "../engine/ports";
import { hasBody, topLevel } from "../engine/graph/loop-body";
import { behindABranch } from "../engine/graph/pinned-steps";
import type { Suite } from "../schemas/evaluations";
import type { SelfDecision, StandIns } from "../schemas/run";
import type { WorkflowGraph, WorkflowNode } from "../schemas/workflow";

/** Does this step itself reach outside the run (a tool, an HTTP request, a child run, an agent that may call tools)? */
const reaches = (n: WorkflowNode) =>
  ["tool", "http", "sub-workflow"].includes(n.kind) ||
  (n.kind === "agent" && Array.isArray(n.config.tools) && n.config.tools.length > 0);

/**
 * What makes a step need an answer in an evaluation: the step itself when it reaches outside, or
 * runs a published workflow for each item (a Loop with no steps drawn inside); for a Loop with its
 * steps drawn inside, the first step inside (at any depth) that does; null when it only computes.
 * A Loop whose steps inside only compute runs in the case's run (each item a child run, sealed
 * like it: lib/execution), never answered.
 */
export function reachingOutside(graph: WorkflowGraph, node: WorkflowNode): WorkflowNode | null {
  if (reaches(node)) return node;
  if (node.kind !== "loop") return null;
  if (!hasBody(graph, node.id)) return node;
  for (const inside of graph.nodes)
    if (inside.parentId === node.id) {
      const found = reachingOutside(graph, inside);
      if (found) return found;
    }
  return null;
}

/**
 * Steps an evaluation never runs (`reachingOutside`). Each is answered, when the case's run
 * reaches it, from the case's source run (its recorded output and branch) or else from the
 * step's pinned output.
 */
export function effectfulSteps(graph: WorkflowGraph): WorkflowNode[] {
  return topLevel(graph).nodes.filter((n) => reachingOutside(graph, n));
}

/** The steps whose review an evaluation decides: Human Review steps, and Guardrails that ask a person. */
export const reviewSteps = (graph: WorkflowGraph): WorkflowNode[] =>
  topLevel(graph).nodes.filter(
    (n) => n.kind === "human-review" || (n.kind === "guardrail" && n.config.onFail === "review"),
  );

/** The outcomes a review step offers. */
export const outcomesOf = (node: WorkflowNode): string[] => [
  "approved",
  "rejected",
  ...(node.kind === "human-review" && Array.isArray(node.config.outcomes) ? (node.config.outcomes as string[]) : []),
];

const kindName: Record<string, string> = {
  tool: "Tool",
  http: "HTTP Request",
  "sub-workflow": "Sub-workflow",
  loop: "Loop",
  agent: "Agent (with tools)",
};
const stepName = (node: WorkflowNode) => `the ${kindName[node.kind]} step “${node.label || node.id}”`;

/**
 * What a case's run answers without running it (`Run.standIns`), given its source run's steps,
 * the workflow's pins and the suite's review settings:
 * - each step that reaches outside: the source run's record of it (output and branch), else its
 *   pin, else refused (reached, the case fails saying how to answer it);
 * - each review: the decision set for its step, else (policy "recorded") the source run's
 *   decision of a Human Review step, else the policy's (approve when the source run has none).
 */
export function standInsFor(
  graph: WorkflowGraph,
  recorded: StepRecord[],
  pins: Record<string, unknown>,
  reviews: Suite["reviews"],
): StandIns {
  const done = (id: string) => recorded.find((s) => s.nodeId === id && s.status === "done");
  const steps: StandIns["steps"] = {};
  for (const node of effectfulSteps(graph)) {
    const step = done(node.id);
    // A Loop answered whole, for a step inside it that reaches outside: say which.
    const inside = reachingOutside(graph, node);
    const within = inside !== node ? inside : null;
    const name = within ? `${stepName(node)}: ${stepName(within)} inside it reaches outside` : stepName(node);
    steps[node.id] = step
      ? { as: "recorded", output: step.output, handle: step.handle ?? null }
      : Object.hasOwn(pins, node.id)
        ? { as: "pinned", output: pins[node.id], handle: null }
        : {
            as: "refused",
            reason: `Not run: evaluations never reach outside, and nothing answers ${name}. Take the case from a run that went through it${node.kind === "loop" ? "" : ", or pin its output"}.`,
          };
  }
  const byNode: Record<string, SelfDecision> = {};
  for (const node of reviewSteps(graph)) {
    const set = reviews.decisions[node.id];
    const step = node.kind === "human-review" ? done(node.id) : undefined;
    if (set) byNode[node.id] = { outcome: set, comment: null, by: "the evaluation (the decision set for this step)" };
    else if (reviews.policy === "recorded" && step) {
      const said = (step.output ?? {}) as { decision?: unknown; comment?: unknown; reviewer?: unknown };
      const outcome = step.handle ?? (typeof said.decision === "string" ? said.decision : null);
      if (outcome)
        byNode[node.id] = {
          outcome,
          comment: typeof said.comment === "string" ? said.comment : null,
          by: `the evaluation (as ${typeof said.reviewer === "string" && said.reviewer ? said.reviewer : "a person"} decided in the case's source run)`,
        };
    }
  }
  const otherwise: SelfDecision =
    reviews.policy === "rejected"
      ? {
          outcome: "rejected",
          comment: "Rejected by the evaluation's review policy.",
          by: "the evaluation (reject every review)",
        }
      : { outcome: "approved", comment: null, by: "the evaluation (approve every review)" };
  return { sealed: true, steps, reviews: { byNode, otherwise } };
}

/**
 * The reason of a refused step that every run of the graph reaches (not after a branch): a case
 * with one cannot pass, so it is not run. Null when each refused step may be passed by.
 */
export function certainRefusal(graph: WorkflowGraph, standIns: StandIns): string | null {
  const refused = Object.entries(standIns.steps).filter(([, s]) => s.as === "refused");
  if (!refused.length) return null;
  const { late, unreached } = behindABranch(topLevel(graph), new Set(refused.map(([id]) => id)));
  const sure = refused.find(([id]) => !late.has(id) && !unreached.has(id));
  return sure && sure[1].as === "refused" ? sure[1].reason : null;
}
