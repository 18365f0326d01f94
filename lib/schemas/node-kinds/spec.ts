import { z } from "zod";

/**
 * What the studio and the engine know of one node kind, apart from how it runs (the engine
 * adds `execute`). `configSchema` drives the inspector form and the server's validation.
 * Field metadata (`.meta({ title, description, widget })`) reaches the form through
 * `z.toJSONSchema`; widgets: "textarea", "template" (text with {{references}}), "expression"
 * (JSONata), "code" (JavaScript), "json", "markdown", "workflow" (published workflow picker), "model" (gateway models
 * the person may use), "tool" / "tools" (catalog tools the person may use).
 */
export interface NodeKindSpec<S extends z.ZodType = z.ZodType> {
  kind: string;
  label: string;
  description: string;
  /** A short symbol for the palette and the node header. */
  icon: string;
  /** Colour family of the node's accent. */
  accent: "emerald" | "violet" | "sky" | "amber" | "orange" | "indigo" | "slate" | "yellow" | "rose";
  configSchema: S;
  defaultConfig: z.output<S>;
  /** Can other nodes connect into it? */
  hasInput: boolean;
  /** Its outgoing handles: one unnamed output (id null), or one per branch or outcome. */
  outputs(config: z.output<S>): { id: string | null; label: string }[];
  /** Output fields known before a run, offered by reference autocomplete. */
  outputFields(config: z.output<S>): string[];
}

export const singleOutput = () => [{ id: null, label: "" }];

/** A name used in references and expressions: letters, digits and _. */
export const identifierSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "Use letters, digits and _, starting with a letter");

/** A text field in which {{nodes.<id>.output.<path>}} references are resolved at run time. */
export const templateSchema = (title: string, description?: string) =>
  z.string().max(20_000).meta({ title, description, widget: "template" });

/** A list of name → template value pairs (tool arguments, sub-workflow inputs). */
export const namedValuesSchema = (title: string, itemLabel: string, nameTitle: string, description: string) =>
  z
    .array(z.object({ name: identifierSchema.meta({ title: nameTitle }), value: templateSchema("Value") }))
    .max(50)
    .default([])
    .meta({ title, itemLabel, description });
