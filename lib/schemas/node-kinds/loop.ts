import { z } from "zod";
import { identifierSchema, namedValuesSchema, singleOutput, type NodeKindSpec } from "./spec";

export const loopConfigSchema = z.object({
  items: z.string().trim().min(1, "Pick the list to go through").max(20_000).meta({
    title: "List to go through",
    description: "A reference to a list from an earlier step, such as {{nodes.fetch.output.body.tickets}}.",
    widget: "template",
  }),
  workflowId: z.string().trim().max(64).default("").meta({
    title: "Or, for each item, run a published workflow",
    description:
      "Instead of steps drawn inside the loop. Its Start field named below receives the item. Steps inside read it as {{nodes.<this loop>.output.item}}.",
    widget: "workflow",
  }),
  itemInput: identifierSchema.default("item").meta({
    title: "Start field that receives the item",
    description: "Of the published workflow's Start step (a JSON field takes any item).",
    // Steps drawn inside the loop take the item as it is: this is for a published workflow only.
    shownWith: "workflowId",
  }),
  inputs: namedValuesSchema("Other inputs", "input", "Input", "The same for every item; may use {{…}}."),
  concurrency: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(5)
    .meta({ title: "Items at once", description: "An item waiting for a review does not hold a place." }),
  onItemFailure: z.enum(["stop", "skip", "collect"]).default("stop").meta({
    title: "When an item fails",
    description:
      "stop: start no more items and fail the step; skip: leave it out (null in results); collect: its error takes its place.",
  }),
  maxItems: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(1_000)
    .meta({ title: "Most items", description: "A longer list fails the step rather than running them all." }),
});

export const loop = {
  kind: "loop",
  label: "Loop",
  description: "Repeats steps for each item of a list",
  icon: "↻",
  accent: "violet",
  configSchema: loopConfigSchema,
  defaultConfig: {
    items: "",
    workflowId: "",
    itemInput: "item",
    inputs: [],
    concurrency: 5,
    onItemFailure: "stop",
    maxItems: 1_000,
  },
  hasInput: true,
  outputs: singleOutput,
  outputFields: () => ["results", "failures", "count"],
} satisfies NodeKindSpec<typeof loopConfigSchema>;
