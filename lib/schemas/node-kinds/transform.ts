import jsonata from "jsonata";
import { z } from "zod";
import { singleOutput, type NodeKindSpec } from "./spec";

export const transformConfigSchema = z.object({
  expression: z.string().min(1, "Write a mapping").max(20_000).meta({
    title: "Mapping (JSONata)",
    description:
      'Builds the step\'s output from earlier ones, for example: { "customer": nodes.lookup.output.name, "total": $sum(input.items.price) }',
    widget: "expression",
  }),
});

/** The keys of the object a mapping builds (`{ "total": … }`), offered as output fields. */
function builtKeys(expression: string): string[] {
  try {
    const ast = jsonata(expression).ast() as { type: string; value?: unknown; lhs?: unknown };
    if (ast.type !== "unary" || ast.value !== "{" || !Array.isArray(ast.lhs)) return [];
    return (ast.lhs as [{ type: string; value: unknown }, unknown][])
      .map(([key]) => (key.type === "string" ? String(key.value) : ""))
      .filter((key) => /^[A-Za-z][A-Za-z0-9_]*$/.test(key));
  } catch {
    return [];
  }
}

export const transform = {
  kind: "transform",
  label: "Transform",
  description: "Reshapes data with a mapping",
  icon: "⇄",
  accent: "slate",
  configSchema: transformConfigSchema,
  defaultConfig: { expression: '{ "input": input }' },
  hasInput: true,
  outputs: singleOutput,
  outputFields: (config) => builtKeys(config.expression),
} satisfies NodeKindSpec<typeof transformConfigSchema>;
