import { z } from "zod";
import { json, route } from "@/lib/api/route";
import { publishInputSchema } from "@/lib/schemas/workflow";
import { listVersions, publishWorkflow } from "@/lib/workflows/versions";

const params = z.object({ id: z.string().min(1).max(64) });

export const GET = route({ permission: "workflows:read", params }, async ({ ctx, params }) => ({
  versions: await listVersions(ctx.workspace.id, params.id),
}));

/** Publish the draft as the next version; 400 listing the graph's problems if it has any. */
export const POST = route(
  { permission: "workflows:write", params, body: publishInputSchema },
  async ({ ctx, params, body }) => json(await publishWorkflow(ctx.workspace.id, ctx.user.id, params.id, body), 201),
);
