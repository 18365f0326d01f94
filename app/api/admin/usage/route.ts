import { route } from "@/lib/api/route";
import { usageCsv, usageReport } from "@/lib/gateway/usage";
import { usageQuerySchema } from "@/lib/schemas/usage";

/** Gateway spend and use: ?days=30 as JSON, or &format=csv for every call of the period. */
export const GET = route({ permission: "workspace:admin", query: usageQuerySchema }, async ({ ctx, query }) => {
  if (query.format === "csv") {
    return new Response(await usageCsv(ctx, query.days), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="flowdeck-usage-${new Date().toISOString().slice(0, 10)}.csv"`,
      },
    });
  }
  return usageReport(ctx, query.days);
});
