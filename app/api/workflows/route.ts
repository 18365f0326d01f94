import { json, route } from "@/lib/api/route";
import { createWorkflowInputSchema } from "@/lib/schemas/workflow";
import { createWorkflow, listWorkflows } from "@/lib/workflows/workflows";

export const GET = route({ permission: "workflows:read" }, async ({ ctx }) => ({ workflows: await listWorkflows(ctx.workspace.id) }));

export const POST = route({ permission: "workflows:write", body: createWorkflowInputSchema }, async ({ ctx, body }) =>
  json(await createWorkflow(ctx.workspace.id, ctx.user.id, body), 201),
);
