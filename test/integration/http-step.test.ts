import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runHarness } from "../support/run-harness";

/**
 * HTTP Request steps through the real engine, store, door (lib/egress) and audit trail, against
 * a real server on loopback: a secret in a header reaches the server and nowhere else (it is
 * searched for in every table of the database); a host the workspace does not allow is refused
 * before any connection; both are audited.
 */
const h = runHarness("httpstep");
const SECRET = "sk-live-integration-7f3a9c";
const seen: { url: string; authorization?: string; body: string }[] = [];
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer(async (req: IncomingMessage, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    seen.push({ url: req.url ?? "", authorization: req.headers.authorization, body });
    // A careless service that echoes the caller's credentials back.
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, echoed: req.headers.authorization, path: req.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const node = (id: string, kind: "start" | "http" | "output", config: Record<string, unknown>, x: number) => ({
  id,
  kind,
  label: id,
  position: { x, y: 0 },
  config,
});

async function run(url: string) {
  //  start ──> call (http) ──> out
  const wf = await h.mod.workflows.createWorkflow(h.admin.workspace.id, h.admin.user.id, {
    name: `HTTP ${Math.random()}`,
    description: "",
    graph: {
      nodes: [
        node("start", "start", { fields: [{ name: "topic", type: "string", required: true }] }, 0),
        node(
          "call",
          "http",
          {
            method: "POST",
            url,
            headers: [{ name: "Authorization", value: "Bearer {{secrets.billing_key}}" }],
            bodyType: "json",
            body: '{ "topic": "{{nodes.start.output.topic}}", "region": "{{vars.region}}" }',
            retries: 0,
          },
          1,
        ),
        node("out", "output", { value: "{{nodes.call.output.body}}" }, 2),
      ],
      edges: [
        { id: "e1", source: "start", target: "call" },
        { id: "e2", source: "call", target: "out" },
      ],
    },
  });
  const { id: runId } = await h.mod.start.startRun(h.admin, wf.id, { input: { topic: "invoices" }, mode: "draft" });
  const outcome = await h.mod.execute.executeRun(runId);
  const { getRun } = await import("../../lib/runs/read-runs");
  return { runId, outcome, view: await getRun(h.admin.workspace.id, runId) };
}

it("sends the secret to the allowed host only, and records [secret:name] wherever it would appear", async () => {
  const variables = await import("../../lib/workspaces/variables");
  const destinations = await import("../../lib/egress/destinations");
  await variables.createVariable(h.admin, { name: "billing_key", value: SECRET, secret: true });
  await variables.createVariable(h.admin, { name: "region", value: "eu-west", secret: false });
  const actor = { workspaceId: h.admin.workspace.id, userId: h.admin.user.id };
  await destinations.addDestination(actor, { pattern: `127.0.0.1:${port}`, allowPrivate: true });

  const { runId, outcome, view } = await run(
    `http://127.0.0.1:${port}/charges/{{secrets.billing_key}}?key={{secrets.billing_key}}`,
  );
  expect(outcome).toMatchObject({ status: "completed" });
  expect(seen.at(-1)).toEqual({
    url: `/charges/${SECRET}?key=${SECRET}`,
    authorization: `Bearer ${SECRET}`,
    body: '{ "topic": "invoices", "region": "eu-west" }',
  });
  const step = view.steps.find((s) => s.nodeId === "call")!;
  expect(step.output).toMatchObject({
    status: 200,
    body: {
      ok: true,
      echoed: "Bearer [secret:billing_key]",
      path: "/charges/[secret:billing_key]?key=[secret:billing_key]",
    },
  });
  expect(step.input).toMatchObject({ headers: { Authorization: "Bearer [secret:billing_key]" } });

  // Nowhere in the database: every column of every table, as text.
  const prisma = await h.mod.db.db();
  const tables = await prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const holding: string[] = [];
  for (const { name } of tables) {
    const [row] = await prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${name}" t WHERE t::text LIKE $1`,
      `%${SECRET}%`,
    );
    if (row!.n > 0) holding.push(name);
  }
  expect(holding).toEqual([]);
  expect(tables.length).toBeGreaterThan(10);

  // One audit row for the request: method, host and path, never the query.
  const audit = await prisma.auditLog.findMany({ where: { action: "http.request", targetId: runId } });
  expect(audit).toHaveLength(1);
  expect(audit[0]!.after).toMatchObject({
    nodeId: "call",
    method: "POST",
    url: `http://127.0.0.1:${port}/charges/[secret:billing_key]`,
    outcome: "sent",
    status: 200,
  });

  // Rotating the secret needs no edit: the next run sends the new value.
  const [row] = (await variables.listVariables(h.admin)).filter((v) => v.name === "billing_key");
  await variables.updateVariable(h.admin, row!.id, `${SECRET}-rotated`);
  expect((await run(`http://127.0.0.1:${port}/again`)).outcome).toMatchObject({ status: "completed" });
  expect(seen.at(-1)?.authorization).toBe(`Bearer ${SECRET}-rotated`);
});

it("refuses a host the workspace does not allow, before connecting, and says so in the step and the audit trail", async () => {
  const before = seen.length;
  const { runId, outcome, view } = await run(`http://localhost:${port}/sneaky`);
  expect(outcome).toMatchObject({ status: "failed" });
  expect(seen.length).toBe(before);
  expect(view.steps.find((s) => s.nodeId === "call")?.error).toMatch(
    /localhost:\d+ is not an allowed destination of this workspace/,
  );
  const prisma = await h.mod.db.db();
  const audit = await prisma.auditLog.findFirst({ where: { action: "http.request", targetId: runId } });
  expect(audit?.after).toMatchObject({
    outcome: "refused",
    reason: "not-allowed",
    url: `http://localhost:${port}/sneaky`,
  });
});

it("a destination that requires approval holds back requests that change things, and the audit row names who approved one", async () => {
  const destinations = await import("../../lib/egress/destinations");
  const actor = { workspaceId: h.admin.workspace.id, userId: h.admin.user.id };
  const pattern = `127.0.0.1:${port}`;
  const existing = (await destinations.listDestinations(actor)).find((d) => d.pattern === pattern);
  if (existing) await destinations.removeDestination(actor, existing.id);
  await destinations.addDestination(actor, { pattern, allowPrivate: true, requireApproval: true });
  const url = `http://${pattern}/orders`;
  const ws = h.admin.workspace.id;
  expect(await destinations.needsApproval(ws, { method: "POST", url })).toBe(true);
  expect(await destinations.needsApproval(ws, { method: "DELETE", url })).toBe(true);
  expect(await destinations.needsApproval(ws, { method: "GET", url })).toBe(false);
  expect(await destinations.needsApproval(ws, { method: "POST", url: "https://elsewhere.example.com/x" })).toBe(false);

  // A run's POST waits for a person; nothing reaches the server meanwhile.
  const before = seen.length;
  const { outcome, view } = await run(url);
  expect(outcome).toMatchObject({ status: "waiting" });
  expect(seen.length).toBe(before);
  expect(view.reviews[0]).toMatchObject({ status: "PENDING" });

  // Sent once approved (here straight through the door): the audit row says by whom.
  await destinations.sendFromWorkspace(
    actor,
    { method: "POST", url, headers: {}, body: "{}", timeoutMs: 5_000, maxResponseBytes: 10_000, retries: 0 },
    { runId: "run-approved", nodeId: "call", approver: "Rita Reviewer" },
  );
  const prisma = await h.mod.db.db();
  const [row] = await prisma.auditLog.findMany({ where: { action: "http.request", targetId: "run-approved" } });
  expect(row!.after).toMatchObject({ approvedBy: "Rita Reviewer", outcome: "sent", status: 200 });
});
