import { z } from "zod";
import { namedValuesSchema, singleOutput, type NodeKindSpec } from "./spec";

export const subWorkflowConfigSchema = z.object({
  workflowId: z
    .string()
    .trim()
    .min(1, "Pick a published workflow")
    .max(64)
    .meta({ title: "Workflow", widget: "workflow" }),
  inputs: namedValuesSchema("Inputs", "input", "Input", "Values for the child workflow's Start fields."),
});

export const subWorkflow = {
  kind: "sub-workflow",
  label: "Sub-workflow",
  description: "Runs another published workflow",
  icon: "⊞",
  accent: "indigo",
  configSchema: subWorkflowConfigSchema,
  defaultConfig: { workflowId: "", inputs: [] },
  hasInput: true,
  outputs: singleOutput,
  outputFields: () => ["output"],
} satisfies NodeKindSpec<typeof subWorkflowConfigSchema>;
