import type { NodeKind } from "../../schemas/workflow";
import { agentExecutor } from "./agent";
import { codeExecutor } from "./code";
import { conditionExecutor } from "./condition";
import type { NodeExecutor } from "./executor";
import { guardrailExecutor } from "./guardrail";
import { httpExecutor } from "./http";
import { humanReviewExecutor } from "./human-review";
import { loopExecutor } from "./loop";
import { outputExecutor } from "./output";
import { startExecutor } from "./start";
import { subWorkflowExecutor } from "./sub-workflow";
import { toolExecutor } from "./tool";
import { transformExecutor } from "./transform";

/** How each kind runs, exhaustively (sticky notes never run). */
export const executors = {
  start: startExecutor,
  agent: agentExecutor,
  tool: toolExecutor,
  "human-review": humanReviewExecutor,
  condition: conditionExecutor,
  transform: transformExecutor,
  code: codeExecutor,
  http: httpExecutor,
  guardrail: guardrailExecutor,
  loop: loopExecutor,
  "sub-workflow": subWorkflowExecutor,
  output: outputExecutor,
} satisfies { [K in Exclude<NodeKind, "note">]: NodeExecutor<never> };

export function executorOf(kind: Exclude<NodeKind, "note">): NodeExecutor {
  return executors[kind] as unknown as NodeExecutor;
}
