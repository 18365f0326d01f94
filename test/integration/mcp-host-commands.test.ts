import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointAtScratchDatabase, seedWorkspace } from "../support/process-database";
import type { Viewer } from "../../lib/auth/session";
import type { ServerInput } from "../../lib/schemas/mcp";

/**
 * Host commands belong to the installation (issue #15, item 1): only installation owners add
 * or change stdio servers; a stdio server's process sees PATH, HOME and its own variables,
 * never the studio's; what it prints goes to the server log (secrets redacted), and "Test"
 * shows a short reason. The server here is a real process: a node script that prints its
 * environment (and its parent's, as an attacker would try) and exits.
 */
const STUDIO_SECRET = "studio-root-secret-canary-0123456789abcdef";
const SERVER_TOKEN = "server-own-token-canary-42";

let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>>;
let owner: Viewer;
let admin: Viewer;
let folder: string;
let script: string;
const logged: string[] = [];
let m: {
  admin: typeof import("../../lib/mcp/admin");
  pool: typeof import("../../lib/mcp/pool");
  owners: typeof import("../../lib/workspaces/installation-owners");
  db: typeof import("../../lib/db/client");
};

beforeAll(async () => {
  scratch = await pointAtScratchDatabase("mcphost", { FLOWDECK_SECRET: STUDIO_SECRET });
  // The real logger, writing where the test can read it.
  const { forgetSingleton, processSingleton } = await import("../../lib/process/singleton");
  forgetSingleton("logger");
  processSingleton("logger", () =>
    pino({ level: "info" }, new Writable({ write: (chunk, _enc, done) => (logged.push(String(chunk)), done()) })),
  );
  m = {
    admin: await import("../../lib/mcp/admin"),
    pool: await import("../../lib/mcp/pool"),
    owners: await import("../../lib/workspaces/installation-owners"),
    db: await import("../../lib/db/client"),
  };
  [owner, admin] = await seedWorkspace(await m.db.db(), "host", [
    { email: "owner@example.com", role: "ADMIN", installationOwner: true },
    { email: "admin@example.com", role: "ADMIN" },
  ]);
  folder = mkdtempSync(path.join(tmpdir(), "flowdeck-envdump-"));
  script = path.join(folder, "print-env.js");
  writeFileSync(
    script,
    `const fs = require("node:fs");
fs.writeFileSync(process.argv[2], JSON.stringify(process.env));
let parent = "";
try { parent = fs.readFileSync("/proc/" + process.ppid + "/environ", "utf8").split("\\0").join("\\n"); } catch {}
process.stderr.write("my env: " + JSON.stringify(process.env) + "\\n" + parent + "\\n");
process.stdout.write("not json-rpc: " + JSON.stringify(process.env) + "\\n");
process.exit(3);
`,
  );
});

afterAll(async () => {
  await m?.pool.closeAll();
  await scratch?.done();
  rmSync(folder, { recursive: true, force: true });
});

const stdio = (name: string, args: string[]): ServerInput => ({
  name,
  transport: "STDIO",
  command: process.execPath,
  args,
  env: [{ name: "API_TOKEN", value: SERVER_TOKEN }],
  url: "",
  headers: [],
  enabled: true,
});
const http = (name: string): ServerInput => ({
  name,
  transport: "HTTP",
  command: "",
  args: [],
  env: [],
  url: "http://127.0.0.1:9/mcp",
  headers: [],
  enabled: true,
});

describe("stdio MCP servers", () => {
  it("refuses a workspace admin who is not an installation owner (403); they may still add URL servers", async () => {
    await expect(m.admin.saveServer(admin, stdio("shell", ["-e", "1"]))).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining("Only installation owners may add a stdio (command) server"),
    });
    const { id: httpId } = await m.admin.saveServer(admin, http("remote"));
    // Nor may they turn a URL server into a command, or change an owner's command server.
    await expect(m.admin.saveServer(admin, stdio("remote", ["-e", "1"]), httpId)).rejects.toMatchObject({
      status: 403,
    });
    const { id: ownersId } = await m.admin.saveServer(owner, stdio("owners", ["-e", "1"]));
    await expect(m.admin.saveServer(admin, http("owners"), ownersId)).rejects.toMatchObject({ status: 403 });
    expect((await m.admin.listServers(admin)).map((s) => s.name).sort()).toEqual(["owners", "remote"]);
  });

  it("lets an owner name another owner, who then may add stdio servers; only owners name owners", async () => {
    await expect(m.owners.setInstallationOwner(admin, owner.user.id, false)).rejects.toMatchObject({ status: 403 });
    await expect(m.owners.setInstallationOwner(owner, owner.user.id, false)).rejects.toMatchObject({ status: 400 });
    expect(await m.owners.installationOwners(admin)).toEqual({ viewerIsOwner: false, ownerUserIds: [owner.user.id] });
    await m.owners.setInstallationOwner(owner, admin.user.id, true);
    expect((await m.owners.installationOwners(admin)).viewerIsOwner).toBe(true);
    await m.admin.saveServer(admin, stdio("named", ["-e", "1"]));
    await m.owners.setInstallationOwner(owner, admin.user.id, false);
    await expect(m.admin.saveServer(admin, stdio("again", ["-e", "1"]))).rejects.toMatchObject({ status: 403 });
  });

  it("says a command the machine does not have in words", async () => {
    const { id } = await m.admin.saveServer(owner, { ...stdio("missing", []), command: "flowdeck-no-such-command" });
    const result = await m.admin.testServer(owner, id);
    expect(result.ok).toBe(false);
    expect(result.message).toBe(
      "MCP server “missing” is not available: the command “flowdeck-no-such-command” was not found on this machine (ENOENT)",
    );
  });

  it("starts the process with PATH, HOME and its own variables only; Test shows a short reason, no secret anywhere", async () => {
    const dump = path.join(folder, "env.json");
    process.env.DATABASE_URL ??= "postgresql://postgres:db-password-canary@127.0.0.1:1/none";
    const { id } = await m.admin.saveServer(owner, stdio("printer", [script, dump]));
    const result = await m.admin.testServer(owner, id);

    const childEnv = JSON.parse(readFileSync(dump, "utf8")) as Record<string, string>;
    expect(Object.keys(childEnv).sort()).toEqual(["API_TOKEN", "HOME", "PATH"]);
    expect(childEnv.API_TOKEN).toBe(SERVER_TOKEN);

    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^MCP server “printer” is not available: .*the process exited with code 3/);
    expect(result.message).toContain("what it printed is in the server log");
    expect(result.message.length).toBeLessThan(400);

    // What it printed reached the log, with the server's own secret redacted.
    const log = logged.join("");
    expect(log).toContain("MCP server stderr");
    expect(log).toContain('\\"API_TOKEN\\":\\"[redacted]\\"');

    const everywhere = [
      result.message,
      log,
      JSON.stringify(await m.admin.listServers(owner)),
      JSON.stringify(await (await m.db.db()).mcpServer.findMany()),
      JSON.stringify(await (await m.db.db()).auditLog.findMany()),
    ].join("\n");
    for (const secret of [STUDIO_SECRET, process.env.DATABASE_URL!, SERVER_TOKEN])
      expect(everywhere, `a secret (${secret.slice(0, 8)}…) leaked`).not.toContain(secret);
  });
});
