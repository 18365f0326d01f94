import "server-only";
import { isUniqueViolation } from "../db/unique-violation";
import type { Viewer } from "../auth/session";
import { recordAudit } from "../audit/record";
import { seal } from "../crypto/secret-box";
import { db } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import { AppError, notFound } from "../errors/app-error";
import { sameDestination } from "../schemas/destination";
import type { ServerInput, ServerScope, ServerView } from "../schemas/mcp";
import { requireInstallationOwner } from "../workspaces/installation-owners";
import { clientFor, drop, openSecrets, secretsKey } from "./pool";
import { shortReason } from "./redact-secrets";
import { discoverTools, toolsChanged } from "./tools";

/**
 * MCP servers: a workspace's own (its admins add URL servers; stdio servers, which run commands
 * on the host, only installation owners) or the organization's, which installation owners add
 * once and grant to teams (`tool-grants.ts`). Secrets are sealed; only their names are shown.
 */
export type { ServerScope } from "../schemas/mcp";

const ORGANIZATION_WHY = "the organization's tool servers serve every team they are granted to";

/** The owner of a scope's servers (null: the organization), checking the viewer may change them. */
async function ownerFor(viewer: Viewer, scope: ServerScope, what: string): Promise<string | null> {
  if (scope === "workspace") return viewer.workspace.id;
  await requireInstallationOwner(viewer, what, ORGANIZATION_WHY);
  return null;
}

/** The teams whose catalogs hold a server's tools: its workspace, or the teams it is granted to. */
export async function teamsOf(prisma: PrismaClient, server: { id: string; workspaceId: string | null }) {
  if (server.workspaceId) return [server.workspaceId];
  const grants = await prisma.toolServerGrant.findMany({
    where: { serverId: server.id },
    select: { workspaceId: true },
  });
  return grants.map((g) => g.workspaceId);
}

export async function catalogsChanged(teams: string[]): Promise<void> {
  for (const t of teams) await toolsChanged(t);
}

function sealPairs(pairs: { name: string; value: string }[], previous: string | null): string | null {
  const old = openSecrets(previous);
  const merged = Object.fromEntries(pairs.map((p) => [p.name, p.value || old[p.name] || ""]));
  return Object.keys(merged).length ? seal(JSON.stringify(merged), secretsKey()) : null;
}

type ServerRow = Awaited<ReturnType<PrismaClient["mcpServer"]["findMany"]>>[number];

function view(s: ServerRow, tools: number, extra: Partial<ServerView> = {}): ServerView {
  return {
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
    tools,
    organization: s.workspaceId === null,
    ...extra,
  };
}

/**
 * A workspace's servers: its own, then the organization's granted to it (which its admins see
 * but neither change nor remove). The organization's: with the teams each is granted to.
 */
export async function listServers(viewer: Viewer, scope: ServerScope = "workspace"): Promise<ServerView[]> {
  const prisma = await db();
  if (scope === "organization") {
    await requireInstallationOwner(viewer, "see the organization's tool servers", ORGANIZATION_WHY);
    const rows = await prisma.mcpServer.findMany({
      where: { workspaceId: null },
      include: { grants: { select: { workspaceId: true } } },
      orderBy: { name: "asc" },
    });
    const teams = new Map(
      (await prisma.workspace.findMany({ select: { id: true, name: true } })).map((w) => [w.id, w.name]),
    );
    return rows.map((s) =>
      view(s, s.toolCount, {
        teams: s.grants
          .map((g) => ({ id: g.workspaceId, name: teams.get(g.workspaceId) ?? "(removed)" }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      }),
    );
  }
  const rows = await prisma.mcpServer.findMany({
    where: {
      OR: [
        { workspaceId: viewer.workspace.id },
        { workspaceId: null, grants: { some: { workspaceId: viewer.workspace.id } } },
      ],
    },
    include: { _count: { select: { tools: { where: { workspaceId: viewer.workspace.id } } } } },
    orderBy: [{ workspaceId: { sort: "asc", nulls: "last" } }, { name: "asc" }],
  });
  // What the organization's servers run or reach, and their secrets' names, are the organization's.
  return rows.map((s) =>
    view(
      s,
      s._count.tools,
      s.workspaceId === null ? { command: "", args: [], url: "", envNames: [], headerNames: [] } : {},
    ),
  );
}

async function nameClash(prisma: PrismaClient, workspaceId: string, name: string): Promise<boolean> {
  const granted = await prisma.toolServerGrant.count({ where: { workspaceId, server: { name, workspaceId: null } } });
  return granted > 0;
}

export async function saveServer(
  viewer: Viewer,
  input: ServerInput,
  id?: string,
  scope: ServerScope = "workspace",
): Promise<{ id: string }> {
  const prisma = await db();
  const owner = await ownerFor(viewer, scope, "change the organization's tool servers");
  const before = id ? await prisma.mcpServer.findFirst({ where: { id, workspaceId: owner } }) : null;
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
  if (!before && owner && (await nameClash(prisma, owner, input.name)))
    throw new AppError(
      "conflict",
      `The organization's server “${input.name}” is granted to ${viewer.workspace.name}: its tools already use that name. Pick another.`,
      { fields: [{ path: "body.name", message: "used by a server granted by the organization" }] },
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
      : await prisma.mcpServer.create({ data: { ...data, workspaceId: owner } });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError("conflict", `A server named “${input.name}” already exists.`, {
        fields: [{ path: "body.name", message: "already in use" }],
      });
    throw error;
  }
  if (id) await drop(id); // the next call starts it with the new settings
  await catalogsChanged(await teamsOf(prisma, row));
  await recordAudit(prisma, {
    workspaceId: owner,
    actorId: viewer.user.id,
    action: id ? "mcp.server.update" : "mcp.server.create",
    targetType: "McpServer",
    targetId: row.id,
    after: {
      scope,
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

export async function deleteServer(viewer: Viewer, id: string, scope: ServerScope = "workspace"): Promise<void> {
  const prisma = await db();
  const owner = await ownerFor(viewer, scope, "remove the organization's tool servers");
  const row = await prisma.mcpServer.findFirst({ where: { id, workspaceId: owner } });
  if (!row) throw notFound("MCP server");
  const teams = await teamsOf(prisma, row);
  await drop(id);
  await prisma.mcpServer.delete({ where: { id } }); // its tools and grants go with it
  await catalogsChanged(teams);
  await recordAudit(prisma, {
    workspaceId: owner,
    actorId: viewer.user.id,
    action: "mcp.server.delete",
    targetType: "McpServer",
    targetId: id,
    before: { scope, name: row.name, teams },
  });
}

/**
 * Test connection: starts (or reaches) the server, pings it, and discovers its tools into the
 * catalog of each team that has it. Only the server's owner tests it: a team an organization
 * server is granted to sees what the organization's last test found.
 */
export async function testServer(
  viewer: Viewer,
  id: string,
  scope: ServerScope = "workspace",
): Promise<{ ok: boolean; message: string; added: string[]; changed: string[]; missing: string[] }> {
  const prisma = await db();
  const owner = await ownerFor(viewer, scope, "test the organization's tool servers");
  const server = await prisma.mcpServer.findFirst({ where: { id, workspaceId: owner } });
  if (!server) throw notFound("MCP server");
  try {
    const client = await clientFor(server);
    await client.ping({ timeout: 10_000 });
    const teams = await teamsOf(prisma, server);
    const found = await discoverTools(prisma, server, teams);
    await prisma.mcpServer.update({
      where: { id },
      data: { lastPingAt: new Date(), lastError: null, toolCount: found.total },
    });
    await catalogsChanged(teams);
    const parts = [`Connected: ${found.total} tool${found.total === 1 ? "" : "s"}`];
    if (!owner && !teams.length) parts.push("grant the server to a team for its admins to allow them");
    if (found.added.length)
      parts.push(
        `${found.added.length} new (allowed to nobody until ${owner ? "you choose" : "each team's admins choose"} roles)`,
      );
    if (found.changed.length) parts.push(`${found.changed.length} changed (off until approved)`);
    if (found.missing.length) parts.push(`${found.missing.length} gone`);
    return { ok: true, message: `${parts.join("; ")}.`, ...found };
  } catch (error) {
    const message = shortReason((error as Error).message, Object.values(openSecrets(server.envSealed)), 400);
    await prisma.mcpServer.update({ where: { id }, data: { lastError: message.slice(0, 1_000) } });
    return { ok: false, message, added: [], changed: [], missing: [] };
  }
}
