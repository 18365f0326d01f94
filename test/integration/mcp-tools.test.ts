import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedWorkspace, pointAtScratchDatabase } from "../support/process-database";
import type { Viewer } from "../../lib/auth/session";
import { allowLoopback } from "../support/loopback-destination";

/**
 * MCP against real servers from npm, started as processes: server-everything over stdio and
 * over Streamable HTTP, server-filesystem on a temp folder. Discovery, permissions, calls,
 * audit, schema-change re-approval, a crashed server, a hung call, and no orphaned processes.
 */
const everything = path.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
const filesystem = path.resolve("node_modules/@modelcontextprotocol/server-filesystem/dist/index.js");

let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>>;
let admin: Viewer;
let builder: Viewer;
let folder: string;
let http: ChildProcess | undefined;
let m: {
  admin: typeof import("../../lib/mcp/admin");
  tools: typeof import("../../lib/mcp/tools");
  pool: typeof import("../../lib/mcp/pool");
  db: typeof import("../../lib/db/client");
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  scratch = await pointAtScratchDatabase("mcp");
  m = {
    admin: await import("../../lib/mcp/admin"),
    tools: await import("../../lib/mcp/tools"),
    pool: await import("../../lib/mcp/pool"),
    db: await import("../../lib/db/client"),
  };
  [admin, builder] = await seedWorkspace(await m.db.db(), "acme-mcp", [
    { email: "ada@example.com", role: "ADMIN", installationOwner: true },
    { email: "bob@example.com", role: "BUILDER" },
  ]);
  folder = mkdtempSync(path.join(tmpdir(), "flowdeck-fs-"));
  writeFileSync(path.join(folder, "notes.txt"), "kelp forests grow fast");
});

afterAll(async () => {
  await m?.pool.closeAll();
  http?.kill("SIGKILL");
  await scratch?.done();
  rmSync(folder, { recursive: true, force: true });
});

const caller = (v: Viewer) => ({
  workspaceId: v.workspace.id,
  userId: v.user.id,
  role: v.role,
  source: "workflow" as const,
});
const audit = async () => {
  await m.tools.flushToolAudit();
  return (await m.db.db()).toolCallAudit.findMany({ orderBy: { at: "asc" } });
};
async function allow(name: string, extra: Partial<import("../../lib/schemas/mcp").ToolUpdate> = {}) {
  const tool = (await m.admin.listTools(admin)).find((t) => t.name === name)!;
  await m.admin.updateTool(admin, tool.id, {
    allowedRoles: ["BUILDER", "ADMIN"],
    allowedWorkflowIds: [],
    risk: "LOW",
    requiresApproval: false,
    approve: false,
    ...extra,
  });
  return tool;
}

describe("MCP tools", () => {
  let everythingId: string;

  it("discovers a stdio server's tools, allowed to nobody until an admin chooses roles", async () => {
    everythingId = (
      await m.admin.saveServer(admin, {
        name: "everything",
        transport: "STDIO",
        command: process.execPath,
        args: [everything, "stdio"],
        env: [{ name: "API_TOKEN", value: "tok-secret-123" }],
        url: "",
        headers: [],
        enabled: true,
      })
    ).id;
    const result = await m.admin.testServer(admin, everythingId);
    expect(result.ok, result.message).toBe(true);
    expect(result.added).toContain("everything__echo");
    const listed = JSON.stringify(await m.admin.listServers(admin));
    expect(listed).toContain("API_TOKEN");
    expect(listed).not.toContain("tok-secret-123");

    await expect(m.tools.invokeTool(caller(builder), "everything__echo", { message: "hi" })).rejects.toThrow(
      "You may not use the tool “everything__echo”: it is open to nobody yet",
    );
    expect((await audit()).at(-1)).toMatchObject({ toolName: "echo", outcome: "denied", userId: builder.user.id });
  });

  it("calls an allowed tool through the pool, and audits it with its size and latency", async () => {
    await allow("everything__echo");
    const r = await m.tools.invokeTool(caller(builder), "everything__echo", { message: "hello tools" });
    expect(r.text).toBe("Echo: hello tools");
    const pid = m.pool.serverPid(everythingId)!;
    await m.tools.invokeTool(caller(builder), "everything__echo", { message: "again" });
    expect(m.pool.serverPid(everythingId)).toBe(pid); // one client, reused
    const row = (await audit()).at(-1)!;
    expect(row).toMatchObject({
      serverName: "everything",
      toolName: "echo",
      outcome: "ok",
      arguments: { message: "again" },
    });
    expect(row.resultBytes).toBeGreaterThan(0);
    expect(m.tools.redact({ message: "x", apiKey: "k", nested: { password: "p" } })).toEqual({
      message: "x",
      apiKey: "[redacted]",
      nested: { password: "[redacted]" },
    });
  });

  it("turns a tool off when the server changes it, until an admin approves the new version", async () => {
    const prisma = await m.db.db();
    // The catalog holds an older version of echo, as discovered before the server changed it.
    await prisma.mcpTool.updateMany({
      where: { name: "everything__echo" },
      data: { description: "old description", schemaHash: "old", approvedHash: "old" },
    });
    await m.tools.toolsChanged(admin.workspace.id);
    const found = await m.admin.testServer(admin, everythingId);
    expect(found.changed).toEqual(["everything__echo"]);
    expect((await m.admin.listTools(admin)).find((t) => t.name === "everything__echo")?.status).toBe("changed");
    await expect(m.tools.invokeTool(caller(builder), "everything__echo", { message: "x" })).rejects.toThrow(
      /changed on its server .* off until an admin approves/,
    );
    await allow("everything__echo", { approve: true });
    expect((await m.tools.invokeTool(caller(builder), "everything__echo", { message: "back" })).text).toBe(
      "Echo: back",
    );
  });

  it("a crashed server fails its call with a clear message and is started again for the next one", async () => {
    await allow("everything__trigger-long-running-operation");
    const pid = m.pool.serverPid(everythingId)!;
    const call = m.tools.invokeTool(caller(builder), "everything__trigger-long-running-operation", {
      duration: 5,
      steps: 5,
    });
    await new Promise((r) => setTimeout(r, 300));
    process.kill(pid, "SIGKILL");
    await expect(call).rejects.toThrow(/MCP server “everything” is not available/);
    expect((await m.tools.invokeTool(caller(builder), "everything__echo", { message: "restarted" })).text).toBe(
      "Echo: restarted",
    );
    expect(m.pool.serverPid(everythingId)).not.toBe(pid);
    expect((await audit()).filter((a) => a.outcome === "error").at(-1)?.error).toMatch(/not available/);
  });

  it("a call that hangs times out, and the server is restarted", async () => {
    const pid = m.pool.serverPid(everythingId)!;
    await expect(
      m.tools.invokeTool(
        caller(builder),
        "everything__trigger-long-running-operation",
        { duration: 10, steps: 2 },
        { timeoutMs: 500 },
      ),
    ).rejects.toThrow(
      "MCP server “everything” did not answer trigger-long-running-operation within 1 s; it will be restarted.",
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(pid)).toBe(false); // the whole group was ended
    expect((await m.tools.invokeTool(caller(builder), "everything__echo", { message: "fresh" })).text).toBe(
      "Echo: fresh",
    );
  });

  it("a filesystem server refuses a path outside its folder; the call is audited as failed", async () => {
    const id = (
      await m.admin.saveServer(admin, {
        name: "files",
        transport: "STDIO",
        command: process.execPath,
        args: [filesystem, folder],
        env: [],
        url: "",
        headers: [],
        enabled: true,
      })
    ).id;
    expect((await m.admin.testServer(admin, id)).ok).toBe(true);
    // Each tool starts at the risk the server's hints give: reading low, editing high, making a folder medium.
    const risk = new Map((await m.admin.listTools(admin)).map((t) => [t.name, t.risk]));
    expect([
      risk.get("files__read_text_file"),
      risk.get("files__write_file"),
      risk.get("files__create_directory"),
    ]).toEqual(["LOW", "HIGH", "MEDIUM"]);
    await allow("files__read_text_file");
    const inside = await m.tools.invokeTool(caller(builder), "files__read_text_file", {
      path: path.join(folder, "notes.txt"),
    });
    expect(inside.text).toContain("kelp forests grow fast");
    await expect(m.tools.invokeTool(caller(builder), "files__read_text_file", { path: "/etc/passwd" })).rejects.toThrow(
      /The tool “files__read_text_file” failed: .*(denied|outside|not allowed)/i,
    );
    expect((await audit()).at(-1)).toMatchObject({ serverName: "files", outcome: "error" });
    const pid = m.pool.serverPid(id)!;
    await m.pool.drop(id);
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(pid)).toBe(false);
  });

  it("reaches a server over Streamable HTTP, with its secret headers", async () => {
    const port = await freePort();
    http = spawn(process.execPath, [everything, "streamableHttp"], {
      env: { ...process.env, PORT: String(port) },
      stdio: ["ignore", "ignore", "pipe"],
    });
    await new Promise<void>((resolve) => http!.stderr!.on("data", (d) => String(d).includes("listening") && resolve()));
    const id = (
      await m.admin.saveServer(admin, {
        name: "remote",
        transport: "HTTP",
        command: "",
        args: [],
        env: [],
        url: `http://127.0.0.1:${port}/mcp`,
        headers: [{ name: "X-Api-Key", value: "hdr-secret" }],
        enabled: true,
      })
    ).id;
    // A team's own server on loopback: refused until an HTTP destination allows the address.
    const refused = await m.admin.testServer(admin, id);
    expect(refused.ok).toBe(false);
    expect(refused.message).toContain("127.0.0.1 is a private, loopback or link-local address");
    await allowLoopback(admin);
    const result = await m.admin.testServer(admin, id);
    expect(result.ok, result.message).toBe(true);
    await allow("remote__echo");
    expect((await m.tools.invokeTool(caller(builder), "remote__echo", { message: "over http" })).text).toBe(
      "Echo: over http",
    );
    expect(JSON.stringify(await m.admin.listServers(admin))).not.toContain("hdr-secret");
  });
});

describe("an agent's tool call that needs approval", () => {
  it("pauses the agent's loop for a person; approved, the tool runs and the agent goes on; rejected, the agent is told why", async () => {
    const { modelGateway } = await import("../../lib/gateway/gateway");
    const { agentToolSet } = await import("../../lib/mcp/agent-tools");
    await allow("everything__get-sum", { requiresApproval: true });
    const base = { workspaceId: builder.workspace.id, userId: builder.user.id, role: builder.role, workflowId: null };
    const gateway = modelGateway(base, (names, context, approver) =>
      agentToolSet({ ...base, ...context, source: "workflow" }, names, approver),
    );
    const request = {
      model: "demo",
      instructions: "Use everything__get-sum to add the numbers",
      memory: [],
      tools: ["everything__get-sum"],
      maxSteps: 4,
      signal: new AbortController().signal,
      context: { runId: "run-1", nodeId: "agent" },
    };
    const before = (await audit()).length;
    const paused = await gateway.generate(request);
    expect(paused.approval).toMatchObject({ toolName: "everything__get-sum" });
    expect((await audit()).length).toBe(before); // nothing called yet

    const approved = await gateway.generate({
      ...request,
      resume: { pending: paused.approval!, approved: true, reason: "", approver: "rita" },
    });
    expect(approved.approval).toBeUndefined();
    expect(approved.text).toContain("The tool everything__get-sum returned");
    expect((await audit()).at(-1)).toMatchObject({ toolName: "get-sum", outcome: "ok", approver: "rita" });

    const again = await gateway.generate(request);
    const rejected = await gateway.generate({
      ...request,
      resume: { pending: again.approval!, approved: false, reason: "not today", approver: "rita" },
    });
    expect(rejected.approval).toBeUndefined();
    expect(rejected.text).toContain("not today");
    expect((await audit()).at(-1)).toMatchObject({ outcome: "ok", approver: "rita" }); // no further call
  });
});
