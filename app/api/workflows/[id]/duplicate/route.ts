import { z } from "zod";
import { json, route } from "@/lib/api/route";
import { duplicateWorkflow } from "@/lib/workflows/workflows";

export const POST = route(
  { permission: "workflows:write", params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => json(await duplicateWorkflow(ctx.workspace.id, ctx.user.id, params.id), 201),
);
