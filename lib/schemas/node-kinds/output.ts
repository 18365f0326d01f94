import { z } from "zod";
import { templateSchema, type NodeKindSpec } from "./spec";

export const outputConfigSchema = z.object({
  value: templateSchema("Result", "What the run returns, usually a reference such as {{nodes.draft.output.text}}.").min(
    1,
    "Say what the result is",
  ),
});

export const output = {
  kind: "output",
  label: "Output",
  description: "Names the run's result",
  icon: "■",
  accent: "slate",
  configSchema: outputConfigSchema,
  defaultConfig: { value: "" },
  hasInput: true,
  outputs: () => [],
  outputFields: () => ["value"],
} satisfies NodeKindSpec<typeof outputConfigSchema>;
