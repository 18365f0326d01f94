import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointAtScratchDatabase, seedWorkspace } from "../support/process-database";
import type { Viewer } from "../../lib/auth/session";
import { allowLoopback } from "../support/loopback-destination";

/**
 * A stored secret goes only where it was entered for (issue #15, item 5): changing a model
 * provider's base URL, or an MCP server's URL, to a new origin without entering the secret
 * again is refused (400 naming the field), so "Test" can never carry the stored secret to a
 * host the admin names. Two real HTTP servers on loopback record what reaches them.
 */
let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>>;
let admin: Viewer;
const heard: { server: string; authorization?: string; token?: string }[] = [];
let servers: Server[] = [];
let original: string;
let attacker: string;
let mod: {
  db: typeof import("../../lib/db/client");
  gateway: typeof import("../../lib/gateway/admin");
  mcp: typeof import("../../lib/mcp/admin");
  pool: typeof import("../../lib/mcp/pool");
};

async function recorder(name: string): Promise<string> {
  const server = createServer((req, res) => {
    heard.push({
      server: name,
      authorization: req.headers.authorization,
      token: req.headers["x-token"] as string | undefined,
    });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: [{ id: "m1" }] }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  scratch = await pointAtScratchDatabase("secretdest");
  mod = {
    db: await import("../../lib/db/client"),
    gateway: await import("../../lib/gateway/admin"),
    mcp: await import("../../lib/mcp/admin"),
    pool: await import("../../lib/mcp/pool"),
  };
  [admin] = await seedWorkspace(await mod.db.db(), "dest", [{ email: "ada@example.com", role: "ADMIN" }]);
  // The workspace's own provider: the organization lets it bring its own keys.
  await (await mod.db.db()).gatewaySettings.create({ data: { workspaceId: admin.workspace.id, ownProviders: true } });
  // Every server here listens on loopback, which a team's own providers and tool servers reach
  // only when one of its HTTP destinations allows the address.
  await allowLoopback(admin);
  original = await recorder("original");
  attacker = await recorder("attacker");
});
afterAll(async () => {
  await mod?.pool.closeAll();
  for (const s of servers) s.close();
  servers = [];
  await scratch?.done();
});

describe("model providers", () => {
  it("refuses a new base URL without the key, and Test never sends the stored key elsewhere", async () => {
    const { id } = await mod.gateway.saveProvider(admin, {
      name: "Local",
      kind: "OPENAI_COMPATIBLE",
      baseUrl: `${original}/v1`,
      apiKey: "sk-stored-secret-1111",
    });
    // Same origin, another path: the key stays.
    await mod.gateway.saveProvider(
      admin,
      { name: "Local", kind: "OPENAI_COMPATIBLE", baseUrl: `${original}/v2`, apiKey: "" },
      id,
    );
    await expect(
      mod.gateway.saveProvider(
        admin,
        { name: "Local", kind: "OPENAI_COMPATIBLE", baseUrl: `${attacker}/v1`, apiKey: "" },
        id,
      ),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("apiKey: the address changed"),
      extra: { fields: [{ path: "body.apiKey", message: "enter the key again for the new address" }] },
    });
    // The vendor's own address (base URL emptied, kind changed) is a new destination too.
    await expect(
      mod.gateway.saveProvider(admin, { name: "Local", kind: "OPENAI", baseUrl: "", apiKey: "" }, id),
    ).rejects.toMatchObject({ status: 400 });

    expect((await mod.gateway.testProvider(admin, id)).ok).toBe(true);
    await mod.gateway.saveProvider(
      admin,
      { name: "Local", kind: "OPENAI_COMPATIBLE", baseUrl: `${attacker}/v1`, apiKey: "sk-new-secret-2222" },
      id,
    );
    expect((await mod.gateway.testProvider(admin, id)).ok).toBe(true);
    expect(heard.filter((h) => h.authorization)).toEqual([
      { server: "original", authorization: "Bearer sk-stored-secret-1111", token: undefined },
      { server: "attacker", authorization: "Bearer sk-new-secret-2222", token: undefined },
    ]);
  });
});

describe("MCP servers over HTTP", () => {
  it("refuses a new URL that keeps stored header values; values entered again are accepted", async () => {
    const input = (url: string, value: string) => ({
      name: "remote",
      transport: "HTTP" as const,
      command: "",
      args: [],
      env: [],
      url,
      headers: [{ name: "X-Token", value }],
      enabled: true,
    });
    const { id } = await mod.mcp.saveServer(admin, input(`${original}/mcp`, "tok-stored-3333"));
    await mod.mcp.saveServer(admin, input(`${original}/other`, ""), id); // same origin: kept
    await expect(mod.mcp.saveServer(admin, input(`${attacker}/mcp`, ""), id)).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("headers: the URL points somewhere new; enter the value of X-Token again"),
      extra: { fields: [{ path: "body.headers", message: "enter the secret values again for the new URL" }] },
    });
    await mod.mcp.testServer(admin, id); // reaches the original origin (no MCP there; it only records)
    await mod.mcp.saveServer(admin, input(`${attacker}/mcp`, "tok-new-4444"), id);
    await mod.mcp.testServer(admin, id);
    const tokens = heard.filter((h) => h.token).map((h) => `${h.server}:${h.token}`);
    expect(new Set(tokens)).toEqual(new Set(["original:tok-stored-3333", "attacker:tok-new-4444"]));
  });
});
