import { route } from "@/lib/api/route";
import { compareVersions } from "@/lib/observability/compare";
import { compareQuerySchema } from "@/lib/schemas/dashboard";

/** Two versions of a workflow side by side. */
export const GET = route({ permission: "workflows:read", query: compareQuerySchema }, async ({ ctx, query }) =>
  compareVersions(ctx, query),
);
