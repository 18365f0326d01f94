import { AppError } from "../errors/app-error";
import type { WorkflowGraph } from "../schemas/workflow";

type Field = { name: string; type: string; required: boolean };

/** The run input, checked against the Start node's fields; a problem names the field. */
export function checkRunInput(graph: WorkflowGraph, input: Record<string, unknown>): Record<string, unknown> {
  const start = graph.nodes.find((n) => n.kind === "start");
  const fields = ((start?.config.fields as Field[] | undefined) ?? []);
  const problems: { path: string; message: string }[] = [];
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = input[f.name];
    if (v === undefined || v === null || v === "") {
      if (f.required) problems.push({ path: `body.input.${f.name}`, message: `is required` });
      continue;
    }
    const ok = f.type === "number" ? typeof v === "number" && Number.isFinite(v) : f.type === "boolean" ? typeof v === "boolean" : f.type === "json" ? true : typeof v === "string";
    if (!ok) problems.push({ path: `body.input.${f.name}`, message: `must be ${f.type === "number" ? "a number" : f.type === "boolean" ? "true or false" : "text"}` });
    else out[f.name] = v;
  }
  const unknown = Object.keys(input).filter((k) => !fields.some((f) => f.name === k));
  for (const k of unknown) problems.push({ path: `body.input.${k}`, message: "is not an input of this workflow" });
  if (problems.length) throw new AppError("bad_request", `${problems[0]!.path}: ${problems[0]!.message}`, { fields: problems });
  return out;
}
