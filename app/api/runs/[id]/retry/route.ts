import { z } from "zod";
import { json, route } from "@/lib/api/route";
import { retryRun } from "@/lib/runs/retry-run";

/** Retry a failed run from its failed step, reusing the steps that finished. */
export const POST = route(
  { permission: "workflows:write", params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => json(await retryRun(ctx, params.id), 201),
);
