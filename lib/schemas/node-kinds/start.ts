import { z } from "zod";
import { identifierSchema, singleOutput, type NodeKindSpec } from "./spec";

export const startFieldSchema = z.object({
  name: identifierSchema.meta({ title: "Field name" }),
  type: z.enum(["string", "text", "number", "boolean", "json"]).default("string").meta({ title: "Type" }),
  required: z.boolean().default(true).meta({ title: "Required" }),
  description: z.string().max(500).default("").meta({ title: "Help text" }),
});

/**
 * A Start field's name as a person reads it on a form: "party_size" and "partySize" are "Party
 * size"; a word in capitals stays so ("order_ID" is "Order ID").
 */
export function fieldLabel(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((w) => (w.length > 1 && w === w.toUpperCase() ? w : w.toLowerCase()));
  const text = words.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const startConfigSchema = z.object({
  fields: z.array(startFieldSchema).max(50).default([]).meta({
    title: "Run inputs",
    itemLabel: "input field",
    description: "What a person (or an API call) gives when starting a run.",
  }),
  deadlineSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .optional()
    .meta({
      title: "Deadline (seconds)",
      description: "The run's latency budget: past it, running steps stop and the run fails. Empty for none.",
    }),
});

export type StartConfig = z.output<typeof startConfigSchema>;

/**
 * A graph's Start step as its config reads: its fields and deadline, with their defaults; an
 * empty Start's for a graph with none, or a draft whose Start is not valid yet (a field being
 * named), which cannot be run or published until it is.
 */
export function startConfigOf(graph: { nodes: readonly { kind: string; config?: unknown }[] }): StartConfig {
  const parsed = startConfigSchema.safeParse(graph.nodes.find((n) => n.kind === "start")?.config ?? {});
  return parsed.success ? parsed.data : startConfigSchema.parse({});
}

export const start = {
  kind: "start",
  label: "Start",
  description: "Declares the run's inputs",
  icon: "▶",
  accent: "emerald",
  configSchema: startConfigSchema,
  defaultConfig: { fields: [{ name: "input", type: "string", required: true, description: "" }] },
  hasInput: false,
  outputs: singleOutput,
  outputFields: (config) => config.fields.map((f) => f.name),
} satisfies NodeKindSpec<typeof startConfigSchema>;
