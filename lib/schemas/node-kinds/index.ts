import type { NodeKind } from "../workflow";
import { agent } from "./agent";
import { code } from "./code";
import { condition } from "./condition";
import { guardrail } from "./guardrail";
import { http } from "./http";
import { humanReview } from "./human-review";
import { loop } from "./loop";
import { note } from "./note";
import { output } from "./output";
import type { NodeKindSpec } from "./spec";
import { start } from "./start";
import { subWorkflow } from "./sub-workflow";
import { tool } from "./tool";
import { transform } from "./transform";

/** Every node kind, exhaustively: adding a kind to `nodeKinds` fails the build until it is here. */
export const nodeKindSpecs = {
  start,
  agent,
  tool,
  "human-review": humanReview,
  condition,
  transform,
  code,
  http,
  guardrail,
  loop,
  "sub-workflow": subWorkflow,
  output,
  note,
} satisfies { [K in NodeKind]: NodeKindSpec };

export function specOf(kind: NodeKind): NodeKindSpec {
  return nodeKindSpecs[kind] as NodeKindSpec;
}

export type { NodeKindSpec } from "./spec";
