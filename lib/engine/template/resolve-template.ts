import type { NamedValues } from "./named-values";

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

function namedValue(values: NamedValues | undefined, space: "vars" | "secrets", name: string, raw: string): string {
  if (space === "secrets" && !values?.secrets)
    throw new TemplateError(`${raw}: secrets can be used only in an HTTP Request step's URL, headers and body.`);
  const value = (space === "vars" ? values?.vars : values?.secrets)?.[name];
  if (value === undefined)
    throw new TemplateError(
      `${raw}: this workspace has no ${space === "vars" ? "variable" : "secret"} “${name}” (an admin adds it under Variables).`,
    );
  return value;
}

const asText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** The longest text a template may resolve to: many references to a large output would otherwise multiply it. */
export const TEMPLATE_MAX_CHARS = 1_000_000;

/** {{nodes.<id>.output.<path>}}, {{vars.<name>}} or {{secrets.<name>}}. */
const REFERENCE =
  /\{\{\s*(?:nodes\.([A-Za-z][A-Za-z0-9_-]*)\.output((?:\.[A-Za-z0-9_]+)*)|(vars|secrets)\.([A-Za-z][A-Za-z0-9_]*))\s*\}\}/g;

/**
 * Replaces {{nodes.<id>.output.<path>}} with values from earlier steps, and {{vars.<name>}} (and,
 * where `named.secrets` is given, {{secrets.<name>}}) with the workspace's values. A text that is
 * exactly one reference gives the value itself (an object stays an object); otherwise values
 * are written into the text (objects as JSON), in one pass: a value is never read for references.
 */
export function resolveTemplate(text: string, outputs: Outputs, named?: NamedValues): unknown {
  const valueOf = (m: RegExpMatchArray): unknown =>
    m[1] !== undefined
      ? lookup(outputs, m[1], (m[2] ?? "").split(".").filter(Boolean), m[0])
      : namedValue(named, m[3] as "vars" | "secrets", m[4]!, m[0]);
  const refs = [...text.matchAll(REFERENCE)];
  if (refs.length === 1 && refs[0]![0] === text.trim()) return valueOf(refs[0]!);
  let length = text.length;
  return text.replace(REFERENCE, (...args) => {
    const value = asText(valueOf(args as unknown as RegExpMatchArray));
    length += value.length;
    if (length > TEMPLATE_MAX_CHARS)
      throw new TemplateError(
        `${args[0]}: the text would be longer than the size limit of ${TEMPLATE_MAX_CHARS.toLocaleString("en-US")} characters.`,
      );
    return value;
  });
}

/** resolveTemplate, always as text. */
export const resolveText = (text: string, outputs: Outputs, named?: NamedValues): string =>
  asText(resolveTemplate(text, outputs, named));
