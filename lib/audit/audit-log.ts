import "server-only";
import { db } from "../db/client";
import {
  AUDIT_LOG_LIMIT,
  AUDIT_LOG_TOPICS,
  auditActionText,
  auditDetails,
  type AuditLogQuery,
  type AuditLogRow,
} from "../schemas/audit-log";

const hrefOf = (type: string, id: string | null) =>
  !id ? null : type === "Run" ? `/runs/${id}` : type === "Workflow" ? `/workflows/${id}` : null;

/** The workspace's audit log, newest first (at most AUDIT_LOG_LIMIT rows), each in words. */
export async function listAuditLog(workspaceId: string, query: AuditLogQuery): Promise<AuditLogRow[]> {
  const prisma = await db();
  const prefixes = query.topic ? AUDIT_LOG_TOPICS[query.topic].prefixes : [];
  const rows = await prisma.auditLog.findMany({
    where: {
      workspaceId,
      at: { gte: new Date(Date.now() - query.days * 86_400_000) },
      ...(prefixes.length && { OR: prefixes.map((p) => ({ action: { startsWith: p } })) }),
    },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: AUDIT_LOG_LIMIT,
  });
  const actorIds = [...new Set(rows.flatMap((r) => (r.actorId ? [r.actorId] : [])))];
  const people = new Map(
    (
      await prisma.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true, email: true } })
    ).map((u) => [u.id, u.name || u.email]),
  );
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actorId ? (people.get(r.actorId) ?? "A former member") : "Flowdeck",
    action: r.action,
    what: auditActionText(r.action),
    href: hrefOf(r.targetType, r.targetId),
    details: auditDetails(r.before, r.after),
  }));
}
