import "server-only";
import type { Viewer } from "../auth/session";
import { recordAudit } from "../audit/record";
import { db } from "../db/client";
import { notFound } from "../errors/app-error";
import type { Prisma } from "../db/generated/client";
import type { AuditQuery, AuditRow, OrganizationAuditQuery, ToolChoice, ToolUpdate, ToolView } from "../schemas/mcp";
import { requireInstallationOwner } from "../workspaces/installation-owners";
import { flushToolAudit, inCatalog, toolsChanged, usableTools } from "./tools";

/**
 * What a workspace's admins do with its tools: set each tool's permissions, approve changed
 * tools, and read the audit trail. Every change is itself audited. Servers (registering, testing,
 * discovering) are in `servers.ts`, re-exported here.
 */
export { deleteServer, listServers, saveServer, testServer } from "./servers"; // for the tests and benches that set tools up

export async function listTools(viewer: Viewer): Promise<ToolView[]> {
  const prisma = await db();
  const rows = await prisma.mcpTool.findMany({
    where: inCatalog(viewer.workspace.id),
    include: { server: true },
    orderBy: { name: "asc" },
  });
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    serverName: t.server.name,
    description: t.description,
    inputSchema: t.inputSchema,
    status: !t.server.enabled
      ? "server-off"
      : t.missingSince
        ? "missing"
        : t.approvedHash !== t.schemaHash
          ? "changed"
          : "ready",
    allowedRoles: t.allowedRoles,
    allowedWorkflowIds: t.allowedWorkflowIds,
    risk: t.risk,
    requiresApproval: t.requiresApproval,
  }));
}

export async function updateTool(viewer: Viewer, id: string, input: ToolUpdate): Promise<void> {
  const prisma = await db();
  const before = await prisma.mcpTool.findFirst({ where: { id, ...inCatalog(viewer.workspace.id) } });
  if (!before) throw notFound("Tool");
  const { approve, ...permissions } = input;
  await prisma.mcpTool.update({
    where: { id },
    data: { ...permissions, ...(approve ? { approvedHash: before.schemaHash } : {}) },
  });
  await toolsChanged(viewer.workspace.id);
  await recordAudit(prisma, {
    workspaceId: viewer.workspace.id,
    actorId: viewer.user.id,
    action: approve ? "mcp.tool.approve" : "mcp.tool.permissions",
    targetType: "McpTool",
    targetId: id,
    before: {
      allowedRoles: before.allowedRoles,
      allowedWorkflowIds: before.allowedWorkflowIds,
      risk: before.risk,
      requiresApproval: before.requiresApproval,
    },
    after: { ...permissions, approved: approve },
  });
}

/** The tools the signed-in person may pick in the editor. */
export async function toolChoices(viewer: Viewer): Promise<ToolChoice[]> {
  const tools = await usableTools({
    workspaceId: viewer.workspace.id,
    userId: viewer.user.id,
    role: viewer.role,
    source: "workflow",
  });
  return tools.map((t) => ({
    name: t.name,
    description: t.description,
    requiresApproval: t.requiresApproval,
    inputSchema: t.inputSchema,
  }));
}

export async function listAudit(viewer: Viewer, q: AuditQuery): Promise<AuditRow[]> {
  return auditRows({ workspaceId: viewer.workspace.id }, q, null);
}

/**
 * Every team's tool calls in one list, each with its team (installation owners: the
 * organization's tool servers are granted to teams, and each team's trail is otherwise its own).
 */
export async function listOrganizationAudit(viewer: Viewer, q: OrganizationAuditQuery): Promise<AuditRow[]> {
  await requireInstallationOwner(
    viewer,
    "see every team's tool calls",
    "they are the calls of every workspace of this installation",
  );
  const prisma = await db();
  const teams = new Map(
    (await prisma.workspace.findMany({ select: { id: true, name: true } })).map((w) => [w.id, w.name]),
  );
  const rows = await auditRows(q.team ? { workspaceId: q.team } : {}, q, teams);
  // Every team's calls, arguments included, leaving the studio as a file: on the organization's trail.
  if (q.format === "csv")
    await recordAudit(prisma, {
      workspaceId: null,
      actorId: viewer.user.id,
      action: "mcp.audit.export",
      targetType: "ToolCallAudit",
      after: { days: q.days, team: q.team ? (teams.get(q.team) ?? q.team) : "every team", rows: rows.length },
    });
  return rows;
}

async function auditRows(
  scope: Prisma.ToolCallAuditWhereInput,
  q: AuditQuery,
  teams: Map<string, string> | null,
): Promise<AuditRow[]> {
  await flushToolAudit();
  const prisma = await db();
  const rows = await prisma.toolCallAudit.findMany({
    where: {
      ...scope,
      at: { gte: new Date(Date.now() - q.days * 86_400_000) },
      ...(q.outcome ? { outcome: q.outcome } : {}),
      ...(q.tool ? { OR: [{ toolName: { contains: q.tool } }, { serverName: { contains: q.tool } }] } : {}),
    },
    orderBy: { at: "desc" },
    take: q.format === "csv" ? 100_000 : 500,
  });
  const users = new Map(
    (
      await prisma.user.findMany({
        where: { id: { in: [...new Set(rows.map((r) => r.userId).filter((x): x is string => !!x))] } },
        select: { id: true, email: true },
      })
    ).map((u) => [u.id, u.email]),
  );
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    ...(teams && { team: teams.get(r.workspaceId) ?? "(removed)" }),
    user: r.userId ? (users.get(r.userId) ?? "(removed)") : "",
    serverName: r.serverName,
    toolName: r.toolName,
    arguments: r.arguments,
    outcome: r.outcome,
    error: r.error,
    resultBytes: r.resultBytes,
    latencyMs: r.latencyMs,
    approver: r.approver,
    runId: r.runId,
    source: r.source,
  }));
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
  return /[",\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""').replace(/^([=+\-@])/, "'$1")}"` : s;
};

/** The rows as CSV; with a team column first in the organization's view (`withTeam`). */
export function auditCsv(rows: AuditRow[], withTeam = false): string {
  const header = [
    ...(withTeam ? ["team"] : []),
    "time",
    "user",
    "source",
    "run",
    "server",
    "tool",
    "arguments",
    "outcome",
    "error",
    "result_bytes",
    "latency_ms",
    "approver",
  ];
  return (
    [
      header.join(","),
      ...rows.map((r) =>
        [
          ...(withTeam ? [r.team] : []),
          r.at,
          r.user,
          r.source,
          r.runId,
          r.serverName,
          r.toolName,
          r.arguments,
          r.outcome,
          r.error,
          r.resultBytes,
          r.latencyMs,
          r.approver,
        ]
          .map(csvCell)
          .join(","),
      ),
    ].join("\n") + "\n"
  );
}
