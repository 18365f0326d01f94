import { z } from "zod";
import { route } from "@/lib/api/route";
import { nodeStats } from "@/lib/observability/node-stats";

/** Per step: runs, failures, median/p95 time and median cost over the workflow's last runs (the canvas overlay). */
export const GET = route(
  {
    permission: "workflows:read",
    params: z.object({ id: z.string().min(1).max(64) }),
    query: z.object({ last: z.coerce.number().int().min(1).max(1000).default(50) }),
  },
  async ({ ctx, params, query }) => nodeStats(ctx, params.id, query.last),
);
