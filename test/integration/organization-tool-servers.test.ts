import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointAtScratchDatabase, seedWorkspace } from "../support/process-database";
import type { Viewer } from "../../lib/auth/session";
import type { ServerInput } from "../../lib/schemas/mcp";

/**
 * Issue #19: tool servers the organization owns, granted to teams. An installation owner adds
 * the real server-everything (stdio) once and grants it to one team: that team's catalog gets
 * its tools, allowed to nobody until the team's admin chooses; another team has none of them;
 * one process serves both teams once both are granted; the team's admin sees the server but
 * cannot change, test or remove it; names never clash with a team's own servers; revoking takes
 * the tools away and the team's calls are refused.
 */
const everything = path.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");

let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>>;
let owner: Viewer;
let acmeAdmin: Viewer;
let acmeBuilder: Viewer;
let betaAdmin: Viewer;
let betaBuilder: Viewer;
let m: {
  servers: typeof import("../../lib/mcp/servers");
  grants: typeof import("../../lib/mcp/tool-grants");
  admin: typeof import("../../lib/mcp/admin");
  tools: typeof import("../../lib/mcp/tools");
  pool: typeof import("../../lib/mcp/pool");
  teams: typeof import("../../lib/gateway/teams");
  db: typeof import("../../lib/db/client");
};

beforeAll(async () => {
  scratch = await pointAtScratchDatabase("orgtools");
  m = {
    servers: await import("../../lib/mcp/servers"),
    grants: await import("../../lib/mcp/tool-grants"),
    admin: await import("../../lib/mcp/admin"),
    tools: await import("../../lib/mcp/tools"),
    pool: await import("../../lib/mcp/pool"),
    teams: await import("../../lib/gateway/teams"),
    db: await import("../../lib/db/client"),
  };
  const prisma = await m.db.db();
  [owner, acmeAdmin, acmeBuilder] = await seedWorkspace(prisma, "acme", [
    { email: "owner@example.com", role: "ADMIN", installationOwner: true },
    { email: "ann@example.com", role: "ADMIN" },
    { email: "bo@example.com", role: "BUILDER" },
  ]);
  [betaAdmin, betaBuilder] = await seedWorkspace(prisma, "beta", [
    { email: "cy@example.com", role: "ADMIN" },
    { email: "di@example.com", role: "BUILDER" },
  ]);
});

afterAll(async () => {
  await m?.pool.closeAll();
  await scratch?.done();
});

const server = (name: string): ServerInput => ({
  name,
  transport: "STDIO",
  command: process.execPath,
  args: [everything, "stdio"],
  env: [{ name: "API_TOKEN", value: "org-token-secret-77" }],
  url: "",
  headers: [],
  enabled: true,
});
const caller = (v: Viewer) => ({
  workspaceId: v.workspace.id,
  userId: v.user.id,
  role: v.role,
  source: "workflow" as const,
});
async function allowBuilders(admin: Viewer, name: string) {
  const tool = (await m.admin.listTools(admin)).find((t) => t.name === name)!;
  await m.admin.updateTool(admin, tool.id, {
    allowedRoles: ["BUILDER"],
    allowedWorkflowIds: [],
    risk: "LOW",
    requiresApproval: false,
    approve: false,
  });
}

describe("the organization's tool servers", () => {
  let id: string;

  it("are added and tested by installation owners only", async () => {
    await expect(m.servers.saveServer(acmeAdmin, server("shared"), undefined, "organization")).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining("Only installation owners may change the organization's tool servers"),
    });
    await expect(m.servers.listServers(acmeAdmin, "organization")).rejects.toMatchObject({ status: 403 });
    id = (await m.servers.saveServer(owner, server("shared"), undefined, "organization")).id;
    const tested = await m.servers.testServer(owner, id, "organization");
    expect(tested.ok, tested.message).toBe(true);
    expect(tested.message).toContain("grant the server to a team");
    const [listed] = await m.servers.listServers(owner, "organization");
    expect(listed).toMatchObject({ name: "shared", organization: true, teams: [] });
    expect(listed!.tools).toBeGreaterThan(3);
    expect(JSON.stringify(listed)).not.toContain("org-token-secret-77");
    // Granted to nobody: no team's catalog has it.
    expect(await m.admin.listTools(acmeAdmin)).toEqual([]);
  });

  it("refuses a second server or provider with a taken name as a conflict naming the name, on either database", async () => {
    // On the embedded database the driver reports a duplicate without Prisma's code: it was a 500 there.
    await expect(m.servers.saveServer(owner, server("shared"), undefined, "organization")).rejects.toMatchObject({
      status: 409,
      extra: { fields: [{ path: "body.name", message: "already in use" }] },
    });
    const gateway = await import("../../lib/gateway/admin");
    const provider = {
      name: "Twin",
      kind: "OPENAI_COMPATIBLE" as const,
      baseUrl: "http://127.0.0.1:9/v1",
      apiKey: "x",
    };
    await gateway.saveProvider(owner, provider, undefined, "organization");
    await expect(gateway.saveProvider(owner, provider, undefined, "organization")).rejects.toMatchObject({
      status: 409,
      extra: { fields: [{ path: "body.name", message: "already in use" }] },
    });
  });

  it("granted to one team, its tools are in that team's catalog only, allowed to nobody until its admin chooses", async () => {
    await expect(m.grants.setServerTeams(acmeAdmin, id, [acmeAdmin.workspace.id])).rejects.toMatchObject({
      status: 403,
    });
    const saved = await m.grants.setServerTeams(owner, id, [acmeAdmin.workspace.id]);
    expect(saved.message).toMatch(/^Saved: \d+ tools in the catalog/);
    expect((await m.admin.listTools(acmeAdmin)).map((t) => t.name)).toContain("shared__echo");
    expect(await m.admin.listTools(betaAdmin)).toEqual([]);
    await expect(m.tools.invokeTool(caller(acmeBuilder), "shared__echo", { message: "hi" })).rejects.toThrow(
      "open to nobody yet",
    );
    await allowBuilders(acmeAdmin, "shared__echo");
    expect((await m.tools.invokeTool(caller(acmeBuilder), "shared__echo", { message: "hi" })).text).toBe("Echo: hi");
    await expect(m.tools.invokeTool(caller(betaBuilder), "shared__echo", { message: "hi" })).rejects.toThrow(
      "There is no tool “shared__echo” in this workspace's catalog",
    );
    const teams = await m.teams.listTeams(owner);
    expect(teams.find((t) => t.name === "acme")?.toolServers).toEqual(["shared"]);
    expect(teams.find((t) => t.name === "beta")?.toolServers).toEqual([]);
  });

  it("shows the team's admin the server, which they can neither change, test nor remove", async () => {
    const seen = await m.servers.listServers(acmeAdmin);
    expect(seen).toMatchObject([{ name: "shared", organization: true }]);
    expect(seen[0]!.tools).toBeGreaterThan(3);
    expect(JSON.stringify(seen)).not.toContain("org-token-secret-77");
    // What it runs, and its secrets' names, are the organization's.
    expect(JSON.stringify(seen)).not.toContain("server-everything");
    expect(seen[0]).toMatchObject({ command: "", args: [], envNames: [] });
    await expect(m.servers.saveServer(acmeAdmin, { ...server("shared"), args: ["-e", "1"] }, id)).rejects.toMatchObject(
      {
        status: 404,
      },
    );
    await expect(m.servers.testServer(acmeAdmin, id)).rejects.toMatchObject({ status: 404 });
    await expect(m.servers.deleteServer(acmeAdmin, id)).rejects.toMatchObject({ status: 404 });
    expect(await m.servers.listServers(betaAdmin)).toEqual([]);
  });

  it("never shares a name with a team's own server", async () => {
    // Acme has "shared" from the organization: a server of its own by that name is refused.
    await expect(
      m.servers.saveServer(owner, { ...server("shared"), transport: "HTTP", url: "http://127.0.0.1:9/mcp" }),
    ).rejects.toMatchObject({ status: 409, message: expect.stringContaining("is granted to acme") });
    // Beta has one of its own by that name: the grant is refused, naming the team.
    const own = await m.servers.saveServer(betaAdmin, {
      ...server("shared"),
      transport: "HTTP",
      command: "",
      env: [],
      url: "http://127.0.0.1:9/mcp",
    });
    await expect(
      m.grants.setServerTeams(owner, id, [acmeAdmin.workspace.id, betaAdmin.workspace.id]),
    ).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining("beta has a server of its own named “shared”"),
    });
    await m.servers.deleteServer(betaAdmin, own.id);
  });

  it("serves every team it is granted to from one process; each team's permissions are its own", async () => {
    await m.grants.setServerTeams(owner, id, [acmeAdmin.workspace.id, betaAdmin.workspace.id]);
    await expect(m.tools.invokeTool(caller(betaBuilder), "shared__echo", { message: "b" })).rejects.toThrow(
      "open to nobody yet",
    );
    await allowBuilders(betaAdmin, "shared__echo");
    const pid = m.pool.serverPid(id);
    expect(pid).toBeGreaterThan(0);
    expect((await m.tools.invokeTool(caller(betaBuilder), "shared__echo", { message: "b" })).text).toBe("Echo: b");
    expect((await m.tools.invokeTool(caller(acmeBuilder), "shared__echo", { message: "a" })).text).toBe("Echo: a");
    expect(m.pool.serverPid(id)).toBe(pid);
    await m.tools.flushToolAudit();
    const audit = await (await m.db.db()).toolCallAudit.findMany({ where: { outcome: "ok" } });
    expect(audit.filter((a) => a.workspaceId === betaAdmin.workspace.id)).toHaveLength(1);
    expect(audit.filter((a) => a.workspaceId === acmeAdmin.workspace.id)).toHaveLength(2);
  });

  it("lists every team's calls for installation owners, each with its team, one team's on asking; a team's admin sees only their own", async () => {
    const everyTeam = await m.admin.listOrganizationAudit(owner, { days: 1, format: "json" });
    const mine = (rows: { team?: string; outcome: string; arguments: unknown }[], team: string) =>
      rows.filter((r) => r.team === team && r.outcome === "ok").map((r) => r.arguments);
    expect(mine(everyTeam, "beta")).toEqual([{ message: "b" }]);
    expect(mine(everyTeam, "acme")).toEqual(expect.arrayContaining([{ message: "a" }, { message: "hi" }]));
    // Denied calls too: beta's builder was refused before the team's admin allowed the tool.
    expect(everyTeam.some((r) => r.team === "beta" && r.outcome === "denied")).toBe(true);

    const betaOnly = await m.admin.listOrganizationAudit(owner, {
      days: 1,
      format: "json",
      team: betaAdmin.workspace.id,
    });
    expect(new Set(betaOnly.map((r) => r.team))).toEqual(new Set(["beta"]));
    expect(m.admin.auditCsv(betaOnly, true).split("\n")[0]).toMatch(/^team,time,user,/);
    // Exported as a file: on the organization's own trail.
    await m.admin.listOrganizationAudit(owner, { days: 1, format: "csv", team: betaAdmin.workspace.id });
    const exported = await (await m.db.db()).auditLog.findMany({ where: { action: "mcp.audit.export" } });
    expect(exported).toHaveLength(1);
    expect(exported[0]).toMatchObject({ workspaceId: null, actorId: owner.user.id });
    expect(exported[0]!.after).toMatchObject({ team: "beta", rows: betaOnly.length });

    // Not an installation owner: refused, whatever their role in their own team.
    await expect(m.admin.listOrganizationAudit(betaAdmin, { days: 1, format: "json" })).rejects.toThrow(
      "Only installation owners may see every team's tool calls",
    );
    // A team's own trail stays its own, with no team column.
    const betaTrail = await m.admin.listAudit(betaAdmin, { days: 1, format: "json" });
    expect(betaTrail.length).toBe(betaOnly.length);
    expect(betaTrail.every((r) => r.team === undefined)).toBe(true);
  });

  it("revoked, its tools leave the team's catalog and its calls are refused; removed, they leave every team", async () => {
    await m.grants.setServerTeams(owner, id, [betaAdmin.workspace.id]);
    expect(await m.admin.listTools(acmeAdmin)).toEqual([]);
    await expect(m.tools.invokeTool(caller(acmeBuilder), "shared__echo", { message: "a" })).rejects.toThrow(
      "There is no tool",
    );
    expect((await m.tools.invokeTool(caller(betaBuilder), "shared__echo", { message: "b" })).text).toBe("Echo: b");
    const prisma = await m.db.db();
    const audits = await prisma.auditLog.findMany({ where: { action: "mcp.server.grants" }, orderBy: { at: "asc" } });
    expect(audits.at(-1)).toMatchObject({ workspaceId: null, actorId: owner.user.id });
    expect(JSON.stringify(audits.at(-1)?.after)).toContain('"revoked":["acme"]');
    // A discovery that raced the revoke (a test started before it) brings nothing back.
    const row = await prisma.mcpServer.findUniqueOrThrow({ where: { id } });
    await m.tools.discoverTools(prisma, row, [acmeAdmin.workspace.id]);
    await m.tools.toolsChanged(acmeAdmin.workspace.id);
    expect(await m.admin.listTools(acmeAdmin)).toEqual([]);
    await expect(m.tools.invokeTool(caller(acmeBuilder), "shared__echo", { message: "a" })).rejects.toThrow(
      "There is no tool",
    );

    await m.servers.deleteServer(owner, id, "organization");
    expect(await m.admin.listTools(betaAdmin)).toEqual([]);
    await expect(m.tools.invokeTool(caller(betaBuilder), "shared__echo", { message: "b" })).rejects.toThrow(
      "There is no tool",
    );
    expect(m.pool.serverPid(id)).toBeUndefined();
  });
});
