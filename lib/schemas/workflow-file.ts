import { z } from "zod";
import { nodeKinds, workflowGraphSchema, workflowNameSchema, type WorkflowGraph } from "./workflow";

/** The JSON file Export writes and Import reads. */
export const workflowFileSchema = z.object({
  flowdeck: z.literal(1, 'This is not a Flowdeck workflow file (it has no "flowdeck": 1 marker).'),
  name: workflowNameSchema,
  description: z.string().max(2000).default(""),
  graph: workflowGraphSchema,
});

export type ParsedWorkflowFile =
  { ok: true; name: string; description: string; graph: WorkflowGraph } | { ok: false; error: string };

/** Reads an imported file's text, or says in one sentence what is wrong with it. */
export function parseWorkflowFile(text: string): ParsedWorkflowFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: "This file is not JSON. Export a workflow from Flowdeck and import that file." };
  }
  const unknownKinds = new Set<string>();
  const nodes = (raw as { graph?: { nodes?: unknown } })?.graph?.nodes;
  if (Array.isArray(nodes)) {
    for (const n of nodes) {
      const kind = (n as { kind?: unknown })?.kind;
      if (typeof kind === "string" && !(nodeKinds as readonly string[]).includes(kind)) unknownKinds.add(kind);
    }
  }
  if (unknownKinds.size) {
    return {
      ok: false,
      error: `Unknown node kind${unknownKinds.size > 1 ? "s" : ""}: ${[...unknownKinds].join(", ")}. Flowdeck knows ${nodeKinds.join(", ")}.`,
    };
  }
  const result = workflowFileSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
    return { ok: false, error: `The file does not describe a workflow: ${where}${issue.message}` };
  }
  return { ok: true, ...result.data };
}
