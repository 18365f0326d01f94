import { route } from "@/lib/api/route";
import { auditCsv, listOrganizationAudit } from "@/lib/mcp/admin";
import { organizationAuditQuerySchema } from "@/lib/schemas/mcp";

/** Every team's tool calls, each with its team, filtered (installation owners); &format=csv for a download. */
export const GET = route({ permission: "member", query: organizationAuditQuerySchema }, async ({ ctx, query }) => {
  const rows = await listOrganizationAudit(ctx, query);
  if (query.format === "csv") {
    return new Response(auditCsv(rows, true), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="flowdeck-organization-tool-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
      },
    });
  }
  return { calls: rows };
});
