import { z } from "zod";
import { identifierSchema, singleOutput, type NodeKindSpec } from "./spec";

export const startFieldSchema = z.object({
  name: identifierSchema.meta({ title: "Field name" }),
  type: z.enum(["string", "text", "number", "boolean", "json"]).default("string").meta({ title: "Type" }),
  required: z.boolean().default(true).meta({ title: "Required" }),
  description: z.string().max(500).default("").meta({ title: "Help text" }),
});

export const startConfigSchema = z.object({
  fields: z.array(startFieldSchema).max(50).default([]).meta({ title: "Run inputs", itemLabel: "input field", description: "What a person (or an API call) gives when starting a run." }),
});

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
