import "server-only";
import type { Viewer } from "../auth/session";
import { recordAudit } from "../audit/record";
import { seal } from "../crypto/secret-box";
import { db } from "../db/client";
import { AppError, notFound } from "../errors/app-error";
import { sameDestination } from "../schemas/destination";
import { requireInstallationOwner } from "../workspaces/installation-owners";
import type { AuditQuery, AuditRow, ServerInput, ServerView, ToolChoice, ToolUpdate, ToolView } from "../schemas/mcp";
import { drop, openSecrets, secretsKey, clientFor } from "./pool";
import { shortReason } from "./redact-secrets";
import { discoverTools, flushToolAudit, toolsChanged, usableTools } from "./tools";

/**
 * What admins do with MCP: register servers (secrets sealed; only their names are ever shown),
 * test and discover them, set each tool's permissions, approve changed tools, and read the
 * audit trail. Every change is itself audited.
 */
function sealPairs(pairs: { name: string; value: string }[], previous: string | null): string | null {
  const old = openSecrets(previous);
  const merged = Object.fromEntries(pairs.map((p) => [p.name, p.value || old[p.name] || ""]));
  return Object.keys(merged).length ? seal(JSON.stringify(merged), secretsKey()) : null;
}

export async function listServers(viewer: Viewer): Promise<ServerView[]> {
  const prisma = await db();
  const rows = await prisma.mcpServer.findMany({
    where: { workspaceId: viewer.workspace.id },
    include: { _count: { select: { tools: true } } },
    orderBy: { name: "asc" },
  });
  return rows.map((s) => ({
    id: s.id,
    name: s.name,
    transport: s.transport,
    command: s.command ?? "",
    args: s.args,
    url: s.url ?? "",
    envNames: Object.keys(openSecrets(s.envSealed)),
    headerNames: Object.keys(openSecrets(s.headersSealed)),
    enabled: s.enabled,
    lastPingAt: s.lastPingAt?.toISOString() ?? null,
    lastError: s.lastError,
    tools: s._count.tools,
  }));
}

export async function saveServer(viewer: Viewer, input: ServerInput, id?: string): Promise<{ id: string }> {
  const prisma = await db();
  const before = id ? await prisma.mcpServer.findFirst({ where: { id, workspaceId: viewer.workspace.id } }) : null;
  if (id && !before) throw notFound("MCP server");
  // A stdio server runs a command on the studio's machine: that is the installation's, not a workspace's.
  if (input.transport === "STDIO" || before?.transport === "STDIO")
    await requireInstallationOwner(viewer, before ? "change a stdio (command) server" : "add a stdio (command) server");
  if (before && before.name !== input.name)
    throw new AppError(
      "bad_request",
      "name: a server's name cannot change (its tools are named after it); add a new server instead.",
      { fields: [{ path: "body.name", message: "cannot change" }] },
    );
  if (before?.transport === "HTTP" && input.transport === "HTTP" && !sameDestination(before.url ?? "", input.url)) {
    // Stored header values go only where they were entered for: a new address needs them again.
    const stored = openSecrets(before.headersSealed);
    const kept = input.headers.filter((h) => !h.value && h.name in stored).map((h) => h.name);
    if (kept.length)
      throw new AppError(
        "bad_request",
        `headers: the URL points somewhere new; enter the value of ${kept.join(", ")} again to send it there.`,
        { fields: [{ path: "body.headers", message: "enter the secret values again for the new URL" }] },
      );
  }
  const data = {
    name: input.name,
    transport: input.transport,
    command: input.transport === "STDIO" ? input.command : null,
    args: input.transport === "STDIO" ? input.args : [],
    envSealed: input.transport === "STDIO" ? sealPairs(input.env, before?.envSealed ?? null) : null,
    url: input.transport === "HTTP" ? input.url : null,
    headersSealed: input.transport === "HTTP" ? sealPairs(input.headers, before?.headersSealed ?? null) : null,
    enabled: input.enabled,
  };
  let row;
  try {
    row = id
      ? await prisma.mcpServer.update({ where: { id }, data })
      : await prisma.mcpServer.create({ data: { ...data, workspaceId: viewer.workspace.id } });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002")
      throw new AppError("conflict", `A server named “${input.name}” already exists.`, {
        fields: [{ path: "body.name", message: "already in use" }],
      });
    throw error;
  }
  if (id) await drop(id); // the next call starts it with the new settings
  await toolsChanged(viewer.workspace.id);
  await recordAudit(prisma, {
    workspaceId: viewer.workspace.id,
    actorId: viewer.user.id,
    action: id ? "mcp.server.update" : "mcp.server.create",
    targetType: "McpServer",
    targetId: row.id,
    after: {
      name: input.name,
      transport: input.transport,
      command: input.command,
      args: input.args,
      url: input.url,
      env: input.env.map((e) => e.name),
      headers: input.headers.map((h) => h.name),
      enabled: input.enabled,
    },
  });
  return { id: row.id };
}

export async function deleteServer(viewer: Viewer, id: string): Promise<void> {
  const prisma = await db();
  const row = await prisma.mcpServer.findFirst({ where: { id, workspaceId: viewer.workspace.id } });
  if (!row) throw notFound("MCP server");
  await drop(id);
  await prisma.mcpServer.delete({ where: { id } });
  await toolsChanged(viewer.workspace.id);
  await recordAudit(prisma, {
    workspaceId: viewer.workspace.id,
    actorId: viewer.user.id,
    action: "mcp.server.delete",
    targetType: "McpServer",
    targetId: id,
    before: { name: row.name },
  });
}

/** Test connection: starts (or reaches) the server, pings it, and discovers its tools. */
export async function testServer(
  viewer: Viewer,
  id: string,
): Promise<{ ok: boolean; message: string; added: string[]; changed: string[]; missing: string[] }> {
  const prisma = await db();
  const server = await prisma.mcpServer.findFirst({ where: { id, workspaceId: viewer.workspace.id } });
  if (!server) throw notFound("MCP server");
  try {
    const client = await clientFor(server);
    await client.ping({ timeout: 10_000 });
    const found = await discoverTools(prisma, server);
    await prisma.mcpServer.update({ where: { id }, data: { lastPingAt: new Date(), lastError: null } });
    await toolsChanged(viewer.workspace.id);
    const parts = [`Connected: ${found.total} tool${found.total === 1 ? "" : "s"}`];
    if (found.added.length) parts.push(`${found.added.length} new (allowed to nobody until you choose roles)`);
    if (found.changed.length) parts.push(`${found.changed.length} changed (off until approved)`);
    if (found.missing.length) parts.push(`${found.missing.length} gone`);
    return { ok: true, message: `${parts.join("; ")}.`, ...found };
  } catch (error) {
    const message = shortReason((error as Error).message, Object.values(openSecrets(server.envSealed)), 400);
    await prisma.mcpServer.update({ where: { id }, data: { lastError: message.slice(0, 1_000) } });
    return { ok: false, message, added: [], changed: [], missing: [] };
  }
}

export async function listTools(viewer: Viewer): Promise<ToolView[]> {
  const prisma = await db();
  const rows = await prisma.mcpTool.findMany({
    where: { workspaceId: viewer.workspace.id },
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
  const before = await prisma.mcpTool.findFirst({ where: { id, workspaceId: viewer.workspace.id } });
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
  await flushToolAudit();
  const prisma = await db();
  const rows = await prisma.toolCallAudit.findMany({
    where: {
      workspaceId: viewer.workspace.id,
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

export function auditCsv(rows: AuditRow[]): string {
  const header = [
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
