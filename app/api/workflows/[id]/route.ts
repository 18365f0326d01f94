import { z } from "zod";
import { route } from "@/lib/api/route";
import { getWorkflow } from "@/lib/workflows/workflows";

export const GET = route({ permission: "workflows:read", params: z.object({ id: z.string().min(1).max(64) }) }, async ({ ctx, params }) =>
  getWorkflow(ctx.workspace.id, params.id),
);
