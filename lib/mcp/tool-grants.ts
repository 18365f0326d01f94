import "server-only";
import type { Viewer } from "../auth/session";
import { recordAudit } from "../audit/record";
import { db } from "../db/client";
import { AppError, notFound } from "../errors/app-error";
import { requireInstallationOwner } from "../workspaces/installation-owners";
import { shortReason } from "./redact-secrets";
import { catalogsChanged } from "./servers";
import { discoverTools } from "./tools";

/**
 * Which teams have an organization tool server. Granting puts the server's tools in the team's
 * catalog, allowed to nobody until its admins say who (deny by default, as for any server);
 * revoking takes them out, so the team's calls are refused from then on. A team that has a
 * server of its own by the same name cannot be granted it: the tools' names would clash.
 */
export async function setServerTeams(
  viewer: Viewer,
  serverId: string,
  workspaceIds: string[],
): Promise<{ message: string }> {
  await requireInstallationOwner(
    viewer,
    "grant the organization's tool servers to teams",
    "they decide what every team may reach",
  );
  const prisma = await db();
  const server = await prisma.mcpServer.findFirst({ where: { id: serverId, workspaceId: null } });
  if (!server) throw notFound("MCP server");
  const wanted = [...new Set(workspaceIds)];
  const before = (await prisma.toolServerGrant.findMany({ where: { serverId } })).map((g) => g.workspaceId);
  // Every team named now or before, by name: for the checks, the clash message and the audit row.
  const names = new Map(
    (
      await prisma.workspace.findMany({
        where: { id: { in: [...new Set([...wanted, ...before])] } },
        select: { id: true, name: true },
      })
    ).map((w) => [w.id, w.name]),
  );
  const nameOf = (id: string) => names.get(id) ?? id;
  if (wanted.some((w) => !names.has(w)))
    throw new AppError("bad_request", "workspaceIds: a team named here does not exist.", {
      fields: [{ path: "body.workspaceIds", message: "unknown team" }],
    });
  const added = wanted.filter((w) => !before.includes(w));
  const removed = before.filter((w) => !wanted.includes(w));
  const clashes = await prisma.mcpServer.findMany({
    where: { name: server.name, workspaceId: { in: added } },
    select: { workspaceId: true },
  });
  if (clashes.length) {
    const owners = clashes.map((c) => nameOf(c.workspaceId!));
    const one = owners.length === 1;
    throw new AppError(
      "conflict",
      `${owners.join(", ")} ${one ? "has a server" : "have servers"} of ${one ? "its" : "their"} own named “${server.name}”: its tools would share names with this one's. Rename or remove ${one ? "it" : "them"} first.`,
      { fields: [{ path: "body.workspaceIds", message: "a team has its own server by this name" }] },
    );
  }
  await prisma.$transaction([
    prisma.toolServerGrant.deleteMany({ where: { serverId, workspaceId: { in: removed } } }),
    prisma.mcpTool.deleteMany({ where: { serverId, workspaceId: { in: removed } } }),
    prisma.toolServerGrant.createMany({
      data: added.map((workspaceId) => ({ workspaceId, serverId, createdById: viewer.user.id })),
      skipDuplicates: true, // a save racing this one granted it too
    }),
  ]);
  // The revoked teams' catalogs drop the tools at once, in every process.
  await catalogsChanged(removed);
  let message = "Saved.";
  if (added.length) {
    // The new teams' catalogs get the server's tools now, when it answers.
    try {
      const found = await discoverTools(prisma, server, added);
      await prisma.mcpServer.update({
        where: { id: serverId },
        data: { lastPingAt: new Date(), lastError: null, toolCount: found.total },
      });
      message = `Saved: ${found.total} tool${found.total === 1 ? "" : "s"} in the catalog of each team granted now, allowed to nobody until its admins choose roles.`;
    } catch (error) {
      message = `Saved, but the server did not answer (${shortReason((error as Error).message, [], 200)}): its tools reach the team once a test succeeds.`;
    }
  }
  await catalogsChanged(added);
  await recordAudit(prisma, {
    workspaceId: null,
    actorId: viewer.user.id,
    action: "mcp.server.grants",
    targetType: "McpServer",
    targetId: serverId,
    before: { name: server.name, teams: before },
    after: { name: server.name, teams: wanted, granted: added.map(nameOf), revoked: removed.map(nameOf) },
  });
  return { message };
}
