import { z } from "zod";
import { namedValuesSchema, singleOutput, type NodeKindSpec } from "./spec";

export const toolConfigSchema = z.object({
  tool: z
    .string()
    .trim()
    .min(1, "Pick a tool")
    .max(200)
    .meta({ title: "Tool", description: "The tools an admin allowed you under Tools.", widget: "tool" }),
  arguments: namedValuesSchema(
    "Arguments",
    "argument",
    "Argument",
    "Each value may refer to earlier outputs with {{…}}.",
  ),
});

export const tool = {
  kind: "tool",
  label: "Tool",
  description: "Calls one MCP tool",
  icon: "⚒",
  accent: "sky",
  configSchema: toolConfigSchema,
  defaultConfig: { tool: "", arguments: [] },
  hasInput: true,
  outputs: singleOutput,
  outputFields: () => ["result", "text"],
} satisfies NodeKindSpec<typeof toolConfigSchema>;
