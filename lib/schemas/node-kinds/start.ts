import { z } from "zod";
import { identifierSchema, singleOutput, type NodeKindSpec } from "./spec";

export const startFieldSchema = z.object({
  name: identifierSchema.meta({ title: "Field name" }),
  type: z.enum(["string", "text", "number", "boolean", "json"]).default("string").meta({ title: "Type" }),
  required: z.boolean().default(true).meta({ title: "Required" }),
  description: z.string().max(500).default("").meta({ title: "Help text" }),
});

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
