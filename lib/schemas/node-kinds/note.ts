import { z } from "zod";
import type { NodeKindSpec } from "./spec";

export const noteConfigSchema = z.object({
  text: z.string().max(5_000).default("").meta({ title: "Note", widget: "textarea" }),
});

/** A sticky note: documentation on the canvas; never connected, never run. */
export const note = {
  kind: "note",
  label: "Sticky note",
  description: "A comment on the canvas",
  icon: "✎",
  accent: "yellow",
  configSchema: noteConfigSchema,
  defaultConfig: { text: "" },
  hasInput: false,
  outputs: () => [],
  outputFields: () => [],
} satisfies NodeKindSpec<typeof noteConfigSchema>;
