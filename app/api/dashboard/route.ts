import { route } from "@/lib/api/route";
import { dashboard } from "@/lib/observability/dashboard";
import { dashboardQuerySchema } from "@/lib/schemas/dashboard";

/** Runs, completion, errors, latency, cost, reviews and spend over ?days, for the workspace or ?workflowId (&version). */
export const GET = route({ permission: "workflows:read", query: dashboardQuerySchema }, async ({ ctx, query }) =>
  dashboard(ctx, query),
);
