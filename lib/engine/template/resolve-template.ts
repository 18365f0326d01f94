import { findReferences } from "../graph/references";

/** Outputs of finished steps, by node id. */
export type Outputs = Record<string, unknown>;

/** Thrown when a reference cannot be resolved; the message names the node and the field. */
export class TemplateError extends Error {
  override name = "TemplateError";
}

function lookup(outputs: Outputs, nodeId: string, path: string[], raw: string): unknown {
  if (!(nodeId in outputs))
    throw new TemplateError(`${raw}: step “${nodeId}” has no output in this run (it has not run, or was skipped).`);
  let value: unknown = outputs[nodeId];
  for (const [i, key] of path.entries()) {
    if (value === null || typeof value !== "object" || !(key in (value as object))) {
      throw new TemplateError(`${raw}: the output of “${nodeId}” has no field “${path.slice(0, i + 1).join(".")}”.`);
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const asText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** The longest text a template may resolve to: many references to a large output would otherwise multiply it. */
export const TEMPLATE_MAX_CHARS = 1_000_000;

/**
 * Replaces {{nodes.<id>.output.<path>}} with values from earlier steps. A text that is exactly
 * one reference gives the value itself (an object stays an object); otherwise values are
 * written into the text (objects as JSON).
 */
export function resolveTemplate(text: string, outputs: Outputs): unknown {
  const refs = findReferences(text);
  if (refs.length === 1 && refs[0]!.raw === text.trim())
    return lookup(outputs, refs[0]!.nodeId, refs[0]!.path, refs[0]!.raw);
  let result = text;
  for (const ref of refs) {
    const value = asText(lookup(outputs, ref.nodeId, ref.path, ref.raw));
    if (result.length + value.length > TEMPLATE_MAX_CHARS)
      throw new TemplateError(
        `${ref.raw}: the text would be longer than the size limit of ${TEMPLATE_MAX_CHARS.toLocaleString("en-US")} characters.`,
      );
    result = result.replace(ref.raw, () => value);
  }
  return result;
}

/** resolveTemplate, always as text. */
export const resolveText = (text: string, outputs: Outputs): string => asText(resolveTemplate(text, outputs));
