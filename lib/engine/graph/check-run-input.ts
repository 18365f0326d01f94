import type { z } from "zod";
import type { startFieldSchema } from "../../schemas/node-kinds/start";

export type StartField = z.output<typeof startFieldSchema>;

/** One thing wrong with a run's input, naming the field. */
export interface InputProblem {
  field: string;
  kind: "missing" | "wrong-type" | "undeclared";
  /** What is wrong, to follow the field's name: "is required", "must be a number". */
  message: string;
}

/** What each field type accepts, and how a problem says what it expected. */
const types: Record<StartField["type"], { fits: (value: unknown) => boolean; expected: string }> = {
  string: { fits: (v) => typeof v === "string", expected: "text" },
  text: { fits: (v) => typeof v === "string", expected: "text" },
  number: { fits: (v) => typeof v === "number" && Number.isFinite(v), expected: "a number" },
  boolean: { fits: (v) => typeof v === "boolean", expected: "true or false" },
  json: { fits: () => true, expected: "JSON" },
};

/**
 * A run's input checked against the Start node's fields: the declared values (an empty
 * optional field is left out) and every problem, in field order, then undeclared keys. The
 * one check behind both the server, which refuses a run before it starts, and the Start step;
 * each words the problems as its own error.
 */
export function checkRunInput(
  fields: readonly Pick<StartField, "name" | "type" | "required">[],
  input: Record<string, unknown>,
): { value: Record<string, unknown>; problems: InputProblem[] } {
  const value: Record<string, unknown> = {};
  const problems: InputProblem[] = [];
  for (const { name, type, required } of fields) {
    const given = input[name];
    if (given === undefined || given === null || given === "") {
      if (required) problems.push({ field: name, kind: "missing", message: "is required" });
    } else if (!types[type].fits(given)) {
      problems.push({ field: name, kind: "wrong-type", message: `must be ${types[type].expected}` });
    } else value[name] = given;
  }
  for (const key of Object.keys(input)) {
    if (!fields.some((f) => f.name === key))
      problems.push({ field: key, kind: "undeclared", message: "is not an input of this workflow" });
  }
  return { value, problems };
}
