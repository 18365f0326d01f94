import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runHarness } from "../support/run-harness";

/**
 * A worker keeps the lease of a run it executes while every connection of its pool is busy
 * (ten slow statements, here `pg_sleep`; in life, a loaded database under many runs): renewals
 * go through a connection of their own. Before, a renewal queued behind the runs' statements, the
 * lease ran out, and a second worker, watching as workers do, took the run over and ran its
 * step a second time (seen in CI: a step with attempt 2 in the two-worker load test).
 */
const LEASE_SECONDS = 1;
const h = runHarness("leaserenew", { FLOWDECK_RUN_LEASE_SECONDS: String(LEASE_SECONDS) });
const postgres = !!process.env.DATABASE_URL;
let server: Server;
let port = 0;
let requests = 0;

beforeAll(async () => {
  // A service that takes 3 s to answer: three leases' worth.
  server = createServer((_req, res) => {
    requests += 1;
    setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'), 3_000);
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

// The pool is what PostgreSQL has; the embedded database is one session of one process.
it.runIf(postgres)(
  "keeps the lease while every pooled connection is busy, so a second worker never takes the run over",
  async () => {
    const destinations = await import("../../lib/egress/destinations");
    await destinations.addDestination(
      { workspaceId: h.admin.workspace.id, userId: h.admin.user.id },
      { pattern: `127.0.0.1:${port}`, allowPrivate: true },
    );
    //  start ──> call (http, 3 s) ──> out
    const wf = await h.mod.workflows.createWorkflow(h.admin.workspace.id, h.admin.user.id, {
      name: "Slow call",
      description: "",
      graph: {
        nodes: [
          node("start", "start", { fields: [] }, 0),
          node("call", "http", { method: "GET", url: `http://127.0.0.1:${port}/slow`, retries: 0 }, 1),
          node("out", "output", { value: "{{nodes.call.output.body}}" }, 2),
        ],
        edges: [
          { id: "e1", source: "start", target: "call" },
          { id: "e2", source: "call", target: "out" },
        ],
      },
    });
    const { id: runId } = await h.mod.start.startRun(h.admin, wf.id, { input: {}, mode: "draft" });
    const executing = h.mod.execute.executeRun(runId);
    await expect.poll(() => requests, { timeout: 10_000, interval: 20 }).toBe(1);

    // Every connection of the pool busy for 2.5 s (more than two leases), and more statements queued.
    const { sql, connectionString } = await h.mod.db.database();
    const busy = Promise.all(Array.from({ length: 12 }, () => sql.query("SELECT pg_sleep(2.5)")));

    // A second worker, on a connection of its own, takes the run over the moment its lease runs out.
    const rival = new Client({ connectionString: connectionString! });
    await rival.connect();
    const takenOver: string[] = [];
    try {
      const deadline = Date.now() + 2_800;
      while (Date.now() < deadline && !takenOver.length) {
        const { rows } = await rival.query<{ id: string }>(
          `UPDATE "Run" SET "leaseOwner" = 'rival', "leaseExpiresAt" = now() + interval '1 minute'
           WHERE "id" = $1 AND "leaseExpiresAt" < now() RETURNING "id"`,
          [runId],
        );
        takenOver.push(...rows.map((r) => r.id));
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await rival.end();
    }
    await busy;
    expect(takenOver).toEqual([]);
    expect(await executing).toMatchObject({ status: "completed" });
    const steps = await (
      await h.mod.db.db()
    ).runStep.findMany({ where: { runId }, select: { nodeId: true, attempt: true, status: true } });
    expect(steps.map((s) => `${s.nodeId}#${s.attempt}:${s.status}`).sort()).toEqual([
      "call#1:done",
      "out#1:done",
      "start#1:done",
    ]);
    expect(requests).toBe(1);
  },
  30_000,
);
