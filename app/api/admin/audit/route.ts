import { route } from "@/lib/api/route";
import { listAuditLog } from "@/lib/audit/audit-log";
import { auditLogQuerySchema } from "@/lib/schemas/audit-log";

/** The workspace's audit log, newest first: changes and HTTP requests, filtered by period and topic. */
export const GET = route({ permission: "workspace:admin", query: auditLogQuerySchema }, async ({ ctx, query }) => ({
  entries: await listAuditLog(ctx.workspace.id, query),
}));
