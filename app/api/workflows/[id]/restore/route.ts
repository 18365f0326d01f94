import { z } from "zod";
import { route } from "@/lib/api/route";
import { restoreWorkflow } from "@/lib/workflows/workflows";

export const POST = route(
  { permission: "workflows:write", params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => restoreWorkflow(ctx.workspace.id, ctx.user.id, params.id),
);
