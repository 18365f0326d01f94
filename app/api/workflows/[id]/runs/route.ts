import { z } from "zod";
import { json, route } from "@/lib/api/route";
import { listRuns } from "@/lib/runs/read-runs";
import { startRun } from "@/lib/runs/start-run";
import { startRunInputSchema } from "@/lib/schemas/run";

const params = z.object({ id: z.string().min(1).max(64) });

/** The workflow's runs, newest first. */
export const GET = route({ permission: "workflows:read", apiKey: true, params }, async ({ ctx, params }) => ({
  runs: await listRuns(ctx.workspace.id, params.id),
}));

/** Start a run; 400 names a graph problem or a wrong input field. */
export const POST = route(
  { permission: "workflows:write", apiKey: true, params, body: startRunInputSchema },
  async ({ ctx, params, body }) => json(await startRun(ctx, params.id, body), 201),
);
