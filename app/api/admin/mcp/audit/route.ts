import { route } from "@/lib/api/route";
import { auditCsv, listAudit } from "@/lib/mcp/admin";
import { auditQuerySchema } from "@/lib/schemas/mcp";

/** The tool-call audit trail, filtered; &format=csv for a download. */
export const GET = route({ permission: "workspace:admin", query: auditQuerySchema }, async ({ ctx, query }) => {
  const rows = await listAudit(ctx, query);
  if (query.format === "csv") {
    return new Response(auditCsv(rows), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="flowdeck-tool-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
      },
    });
  }
  return { calls: rows };
});
