import { z } from "zod";
import { json, route } from "@/lib/api/route";
import { createWorkflowInputSchema } from "@/lib/schemas/workflow";
import { createWorkflow, listWorkflows } from "@/lib/workflows/workflows";

/** The workspace's workflows; `?deleted=1` lists the bin (restorable for 30 days). */
export const GET = route(
  { permission: "workflows:read", query: z.object({ deleted: z.enum(["0", "1"]).optional() }) },
  async ({ ctx, query }) => ({
    workflows: await listWorkflows(ctx.workspace.id, { deleted: query.deleted === "1" }),
  }),
);

/** A new workflow: empty, or from a graph (import, templates). */
export const POST = route({ permission: "workflows:write", body: createWorkflowInputSchema }, async ({ ctx, body }) =>
  json(await createWorkflow(ctx.workspace.id, ctx.user.id, body), 201),
);
