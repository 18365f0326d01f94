import { z } from "zod";
import { identifierSchema, type NodeKindSpec } from "./spec";

export const conditionBranchSchema = z.object({
  id: identifierSchema.meta({ title: "Branch name" }),
  expression: z.string().min(1, "Write an expression").max(5_000).meta({
    title: "When (JSONata)",
    description: 'For example: nodes.agent_1.output.text = "billing" (type a few letters to pick a step’s output).',
    widget: "expression",
  }),
});

export const conditionConfigSchema = z.object({
  branches: z.array(conditionBranchSchema).min(1, "Add at least one branch").max(20).meta({
    title: "Branches",
    itemLabel: "branch",
    description: "Checked in order; the first that is true is taken, else the “else” branch.",
  }),
});

export const condition = {
  kind: "condition",
  label: "Condition",
  description: "Routes to one branch",
  icon: "◇",
  accent: "orange",
  configSchema: conditionConfigSchema,
  defaultConfig: { branches: [{ id: "yes", expression: "true" }] },
  hasInput: true,
  outputs: (config) => [...config.branches.map((b) => ({ id: b.id, label: b.id })), { id: "else", label: "else" }],
  outputFields: () => ["branch"],
} satisfies NodeKindSpec<typeof conditionConfigSchema>;
