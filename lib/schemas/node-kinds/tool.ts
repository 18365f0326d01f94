import { z } from "zod";
import { identifierSchema, singleOutput, templateSchema, type NodeKindSpec } from "./spec";

export const toolConfigSchema = z.object({
  tool: z.string().trim().min(1, "Pick a tool").max(200).meta({ title: "Tool", description: "Catalog name, such as files__read_file." }),
  arguments: z
    .array(z.object({ name: identifierSchema.meta({ title: "Argument" }), value: templateSchema("Value") }))
    .max(50)
    .default([])
    .meta({ title: "Arguments", itemLabel: "argument", description: "Each value may refer to earlier outputs with {{…}}." }),
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
