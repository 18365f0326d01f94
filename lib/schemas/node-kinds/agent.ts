import { z } from "zod";
import { singleOutput, templateSchema, type NodeKindSpec } from "./spec";

/** Empty (free text), or JSON text of an object with a "type" — the least a JSON Schema has. */
function isJsonSchemaText(text: string): boolean {
  if (text.trim() === "") return true;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) && "type" in value;
  } catch {
    return false;
  }
}

export const agentConfigSchema = z.object({
  model: z.string().trim().min(1, "Pick a model").max(100).meta({
    title: "Model",
    description: "The models an admin opened to you under Models; “demo” is the built-in simulated one.",
    widget: "model",
  }),
  instructions: templateSchema("Instructions", "What the agent should do. Use {{ to refer to earlier outputs.").min(
    1,
    "Write the agent's instructions",
  ),
  tools: z.array(z.string().min(1).max(200)).max(50).default([]).meta({
    title: "Tools",
    description: "The tools the agent may call; each call is checked and audited.",
    widget: "tools",
  }),
  maxSteps: z
    .number()
    .int()
    .min(1, "At least 1 step")
    .max(50, "At most 50 steps")
    .default(5)
    .meta({ title: "Max steps" }),
  outputSchema: z
    .string()
    .max(20_000)
    .default("")
    .refine(isJsonSchemaText, {
      message: 'Not a JSON Schema: write a JSON object such as {"type": "object", "properties": {…}}',
    })
    .meta({ title: "Structured output (JSON Schema)", description: "Leave empty for free text.", widget: "json" }),
  useRunMemory: z.boolean().default(true).meta({
    title: "Give the agent the run so far",
    description: "Earlier steps' outputs and, in a chat, the conversation before this message.",
  }),
});

export const agent = {
  kind: "agent",
  label: "Agent",
  description: "An LLM that reasons and uses tools",
  icon: "✦",
  accent: "violet",
  configSchema: agentConfigSchema,
  defaultConfig: { model: "demo", instructions: "", tools: [], maxSteps: 5, outputSchema: "", useRunMemory: true },
  hasInput: true,
  outputs: singleOutput,
  outputFields: () => ["text", "object", "usage"],
} satisfies NodeKindSpec<typeof agentConfigSchema>;
