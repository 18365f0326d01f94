import { z } from "zod";
import { storedInt } from "./storable";

/**
 * The stored shape of a workflow graph: `{ nodes, edges }`. Each kind's `config` is validated
 * by that kind's own config schema (the node-kind registry); here it is an open record.
 */
export const nodeKinds = [
  "start",
  "agent",
  "tool",
  "human-review",
  "condition",
  "transform",
  "code",
  "http",
  "guardrail",
  "loop",
  "sub-workflow",
  "output",
  "note",
] as const;
export const nodeKindSchema = z.enum(nodeKinds);
export type NodeKind = z.infer<typeof nodeKindSchema>;

export const nodeIdSchema = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/, "A node id starts with a letter and has only letters, digits, - and _");

/** How a step copes with trouble, the same for every kind that does work. */
export const nodeSettingsSchema = z.object({
  timeoutSeconds: z.number().int().min(1, "At least 1 second").max(3600, "At most an hour").optional().meta({
    title: "Step time limit per try (seconds)",
    description: "Each try of the step is stopped past it. Empty: no limit beyond the run's.",
  }),
  retries: z.number().int().min(0).max(5, "At most 5 retries").optional().meta({
    title: "Step retries",
    description: "After a failure the whole step runs again, waiting longer each time.",
  }),
  onError: z.enum(["fail", "branch"]).optional().meta({
    title: "When it still fails",
    description: "fail: the run fails. branch: the run continues along the step's “error” output.",
  }),
});
export type NodeSettings = z.infer<typeof nodeSettingsSchema>;

export const workflowNodeSchema = z.object({
  id: nodeIdSchema,
  kind: nodeKindSchema,
  label: z.string().max(120),
  position: z.object({ x: z.number().finite(), y: z.number().finite() }),
  config: z.record(z.string(), z.unknown()).default({}),
  settings: nodeSettingsSchema.optional(),
  /** The Loop whose body this step is in (drawn inside it); its position is then relative to the Loop's. */
  parentId: nodeIdSchema.optional(),
  /** A Loop's size on the canvas, which holds its body. */
  size: z
    .object({ width: z.number().finite().min(40).max(20_000), height: z.number().finite().min(40).max(20_000) })
    .optional(),
});
export type WorkflowNode = z.infer<typeof workflowNodeSchema>;

export const workflowEdgeSchema = z.object({
  id: z.string().min(1).max(128),
  source: nodeIdSchema,
  target: nodeIdSchema,
  /** Which output of the source: a Condition branch, "else", "error"; absent for the only one. */
  sourceHandle: z.string().max(64).optional(),
});
export type WorkflowEdge = z.infer<typeof workflowEdgeSchema>;

export const workflowGraphSchema = z
  .object({
    nodes: z.array(workflowNodeSchema).max(2000, "A workflow has at most 2000 nodes"),
    edges: z.array(workflowEdgeSchema).max(4000, "A workflow has at most 4000 edges"),
  })
  .superRefine((graph, ctx) => {
    const ids = new Set<string>();
    graph.nodes.forEach((node, i) => {
      if (ids.has(node.id))
        ctx.addIssue({ code: "custom", path: ["nodes", i, "id"], message: `Two nodes share the id "${node.id}"` });
      ids.add(node.id);
    });
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    graph.nodes.forEach((node, i) => {
      if (node.parentId === undefined) return;
      const parent = byId.get(node.parentId);
      if (parent?.kind !== "loop")
        ctx.addIssue({
          code: "custom",
          path: ["nodes", i, "parentId"],
          message: `Node ${node.id} is inside "${node.parentId}", which is not a Loop of this workflow`,
        });
      // A body inside its own body would never end: every chain of parents must reach the top.
      for (let at: (typeof graph.nodes)[number] | undefined = node, hops = 0; at?.parentId; hops += 1) {
        if (hops > 50 || at.parentId === node.id) {
          ctx.addIssue({ code: "custom", path: ["nodes", i, "parentId"], message: `Node ${node.id} is inside itself` });
          break;
        }
        at = byId.get(at.parentId);
      }
    });
    graph.edges.forEach((edge, i) => {
      for (const end of ["source", "target"] as const) {
        if (!ids.has(edge[end])) {
          ctx.addIssue({
            code: "custom",
            path: ["edges", i, end],
            message: `Edge ${edge.id} points to a node that does not exist: "${edge[end]}"`,
          });
        }
      }
    });
  });
export type WorkflowGraph = z.infer<typeof workflowGraphSchema>;

export const workflowNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a workflow name")
  .max(120, "Use at most 120 characters");

export const createWorkflowInputSchema = z.object({
  name: workflowNameSchema,
  description: z.string().max(2000).default(""),
  graph: workflowGraphSchema.optional(),
});
export type CreateWorkflowInput = z.infer<typeof createWorkflowInputSchema>;

/** A row of the workflows list. */
export const workflowSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  nodeCount: z.number(),
  revision: z.number(),
  /** The newest published version, or null for a workflow never published. */
  publishedVersion: z.number().nullable(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
  /** Offered as a tool at /api/mcp (its published version). */
  exposeAsTool: z.boolean(),
  /** The most one run may spend on models (USD), or null for no cap. */
  maxRunCostUsd: z.number().nullable(),
  /** At the cap: the run fails, or waits for an admin to raise it. */
  costCapAction: z.enum(["FAIL", "REVIEW"]),
  /** The newest run: when it started and how it stands. */
  lastRun: z.object({ id: z.string(), status: z.string(), createdAt: z.string() }).nullable(),
});
export type WorkflowSummary = z.infer<typeof workflowSummarySchema>;

export const workflowDetailSchema = workflowSummarySchema.extend({ graph: workflowGraphSchema });
export type WorkflowDetail = z.infer<typeof workflowDetailSchema>;

/** Autosave of the draft: the graph and the revision the editor last saw. */
export const saveDraftInputSchema = z.object({
  graph: workflowGraphSchema,
  revision: storedInt(1),
});
export type SaveDraftInput = z.infer<typeof saveDraftInputSchema>;

export const updateWorkflowInputSchema = z
  .object({
    name: workflowNameSchema.optional(),
    description: z.string().max(2000).optional(),
    exposeAsTool: z.boolean().optional(),
    maxRunCostUsd: z
      .number()
      .positive("A cost cap is more than $0; clear it for no cap")
      .max(1_000_000, "At most $1,000,000 per run")
      .nullable()
      .optional(),
    costCapAction: z.enum(["FAIL", "REVIEW"]).optional(),
  })
  .refine(
    (v) =>
      v.name !== undefined ||
      v.description !== undefined ||
      v.exposeAsTool !== undefined ||
      v.maxRunCostUsd !== undefined ||
      v.costCapAction !== undefined,
    { message: "Give a name, a description, exposeAsTool, maxRunCostUsd or costCapAction to change" },
  );

export const publishInputSchema = z.object({
  note: z.string().trim().max(500, "Keep the note under 500 characters").default(""),
  revision: storedInt(1),
  /** An admin publishing although the evaluation gate did not pass: why (audited). */
  gateOverride: z.string().trim().min(3, "Say why, in a few words").max(500).optional(),
});

export const workflowVersionSchema = z.object({
  version: z.number(),
  note: z.string(),
  authorName: z.string().nullable(),
  createdAt: z.string(),
  /** Published over an evaluation gate that did not pass: why. */
  gateOverride: z.string().nullable().optional(),
});
export type WorkflowVersionSummary = z.infer<typeof workflowVersionSchema>;
