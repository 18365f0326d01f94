import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Viewer } from "../../lib/auth/session";
import { allowLoopback } from "../support/loopback-destination";
import { pointAtScratchDatabase, seedWorkspace } from "../support/process-database";

/**
 * The workspace's audit log as its admins read it: changes and the HTTP requests its runs sent,
 * in words, its own workspace's only, filtered by topic; a secret's value never in it (a request
 * that carried one in its URL's path is recorded with it masked, its query left out).
 */
let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>>;
let admin: Viewer;
let other: Viewer;
let server: Server;
let url: string;
const SECRET = "sk-live-very-secret-123";

beforeAll(async () => {
  scratch = await pointAtScratchDatabase("auditlog");
  const { db } = await import("../../lib/db/client");
  [admin] = await seedWorkspace(await db(), "audit", [{ email: "ada@example.com", role: "ADMIN" }]);
  [other] = await seedWorkspace(await db(), "elsewhere", [{ email: "eve@example.com", role: "ADMIN" }]);
  server = createServer((_, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await scratch?.done();
});

it("lists a workspace's changes and requests in words, its own only, by topic, with no secret in it", async () => {
  const { createVariable } = await import("../../lib/workspaces/variables");
  const { sendFromWorkspace } = await import("../../lib/egress/destinations");
  const { listAuditLog } = await import("../../lib/audit/audit-log");
  await allowLoopback(admin);
  await allowLoopback(other);
  await createVariable(admin, { name: "apiKey", value: SECRET, secret: true });
  const actor = { workspaceId: admin.workspace.id, userId: admin.user.id };
  await sendFromWorkspace(
    actor,
    {
      method: "GET",
      url: `${url}/items/${SECRET}?key=${SECRET}`,
      headers: {},
      timeoutMs: 5_000,
      maxResponseBytes: 10_000,
      retries: 0,
    },
    { runId: "run_1", nodeId: "fetch", secrets: { apiKey: SECRET } },
  );

  const all = await listAuditLog(admin.workspace.id, { days: 7 });
  expect(all.map((r) => r.what)).toEqual([
    "sent an HTTP request from a run",
    "added a secret",
    "allowed an HTTP destination",
  ]);
  expect(all.every((r) => r.actor === admin.user.name)).toBe(true);
  const [request, secret, destination] = all;
  expect(request!.href).toBe("/runs/run_1");
  expect(request!.details).toEqual(expect.arrayContaining(["method: GET", "nodeId: fetch", "status: 200"]));
  expect(secret!.details).toEqual(["name: apiKey"]);
  expect(destination!.details).toContain("pattern: 127.0.0.1");
  expect(JSON.stringify(all)).not.toContain(SECRET);

  expect((await listAuditLog(admin.workspace.id, { days: 7, topic: "http" })).map((r) => r.what)).toEqual([
    "sent an HTTP request from a run",
  ]);
  expect((await listAuditLog(admin.workspace.id, { days: 7, topic: "access" })).map((r) => r.what)).toEqual([
    "added a secret",
    "allowed an HTTP destination",
  ]);
  expect(await listAuditLog(admin.workspace.id, { days: 7, topic: "reviews" })).toEqual([]);
  // The other workspace sees its own destination only.
  expect((await listAuditLog(other.workspace.id, { days: 7 })).map((r) => r.what)).toEqual([
    "allowed an HTTP destination",
  ]);
});
