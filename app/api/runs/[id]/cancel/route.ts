import { z } from "zod";
import { route } from "@/lib/api/route";
import { cancelRun } from "@/lib/runs/cancel-run";

export const POST = route(
  { permission: "workflows:write", apiKey: true, params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => cancelRun(ctx.workspace.id, params.id),
);
