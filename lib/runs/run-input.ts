import { checkRunInput as checkAgainstFields } from "../engine/graph/check-run-input";
import { AppError } from "../errors/app-error";
import { startConfigOf } from "../schemas/node-kinds/start";
import type { WorkflowGraph } from "../schemas/workflow";

/**
 * The run input, checked against the Start node's fields before a run is stored (the engine's
 * check, which the Start step makes again); every problem is named as `body.input.<field>`.
 */
export function checkRunInput(graph: WorkflowGraph, input: Record<string, unknown>): Record<string, unknown> {
  const { fields } = startConfigOf(graph);
  const { value, problems } = checkAgainstFields(fields, input);
  const named = problems.map((p) => ({ path: `body.input.${p.field}`, message: p.message }));
  if (named.length) throw new AppError("bad_request", `${named[0]!.path}: ${named[0]!.message}`, { fields: named });
  return value;
}
