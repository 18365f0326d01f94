import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scratchDatabase, type ScratchDatabase } from "../support/scratch-database";
import { Client } from "pg";
import { openDatabase, type Database, type Sql } from "../../lib/db/client";
import { graph } from "../../lib/engine/graph/graph-builder.test-support";
import { runWorkflow } from "../../lib/engine/run/run-workflow";
import { describeRunStore } from "../../lib/engine/testing/run-store-conformance";
import { memoryPorts } from "../../lib/engine/testing/memory-ports";
import { SqlRunStore } from "../../lib/runs/sql-run-store";

let scratch: ScratchDatabase;
let database: Database;

beforeAll(async () => {
  scratch = await scratchDatabase("runstore");
  database = await openDatabase({ url: scratch.url, dataDir: scratch.dataDir ?? "" });
});
afterAll(async () => {
  await database?.close();
  await scratch?.drop();
});

async function newRun(): Promise<string> {
  const run = await database.prisma.run.create({
    data: { workspaceId: "ws", workflowId: "wf", graph: { nodes: [], edges: [] }, input: {} },
  });
  return run.id;
}

const never = new AbortController().signal;

const events = (runId: string) =>
  database.prisma.runEvent.findMany({
    where: { runId },
    orderBy: { seq: "asc" },
    select: { seq: true, type: true, nodeId: true },
  });

describeRunStore(`SQL on ${process.env.DATABASE_URL ? "Postgres" : "PGlite"}`, async () => ({
  store: new SqlRunStore(database.sql),
  newRun,
  events,
}));

describe("a run on the database", () => {
  it("pauses for review, survives a new store (a restart), and resumes from the persisted steps", async () => {
    //  start ─> draft ─> approve ─(approved)─> ok
    const g = graph()
      .start("start")
      .agent("draft", "write")
      .node("human-review", "approve", {
        instructions: "Check",
        content: "{{nodes.draft.output.text}}",
        reviewerRole: "REVIEWER",
        reviewerEmail: "",
        editable: true,
        outcomes: [],
        allowSelfApproval: false,
      })
      .output("ok", "{{nodes.approve.output.text}}")
      .chain("start", "draft", "approve")
      .edge("approve", "ok", "approved")
      .build();
    const runId = await newRun();
    const fake = memoryPorts();
    const spec = { runId, graph: g, input: { input: "x" }, depth: 0 };

    expect((await runWorkflow(spec, { ...fake.ports, store: new SqlRunStore(database.sql) }, never)).status).toBe(
      "waiting",
    );
    fake.decide("review_1", { outcome: "approved", content: "fine", comment: "", reviewer: "rita" });
    expect(await runWorkflow(spec, { ...fake.ports, store: new SqlRunStore(database.sql) }, never)).toEqual({
      status: "completed",
      output: "fine",
    });
    expect(fake.modelCalls).toHaveLength(1);
    expect((await events(runId)).map((e) => e.type)).toEqual([
      "run.started",
      "step.started",
      "step.completed",
      "step.started",
      "step.completed",
      "step.started",
      "step.waiting",
      "run.waiting",
      "step.completed",
      "step.started",
      "step.completed",
      "run.completed",
    ]);
  });
});

describe("the cost of a durable step", () => {
  /** The store on a Sql that counts the statements that carry a write (steps or events). */
  const counting = () => {
    const count = { writes: 0 };
    const sql: Sql = {
      kind: database.sql.kind,
      query: (text, params) => {
        if (/INSERT INTO "RunStep"/.test(text)) count.writes += 1;
        return database.sql.query(text, params);
      },
    };
    return { store: new SqlRunStore(sql), count };
  };

  it("records a chain of pure steps in fewer commits than steps, each step whole", async () => {
    //  start ─> c1 ─> c2 ─> … ─> c30 ─> out        (Conditions `true`: no side effects)
    let g = graph().start("start");
    const ids = Array.from({ length: 30 }, (_, i) => `c${i + 1}`);
    for (const id of ids) g = g.condition(id, [{ id: "yes", expression: "true" }]);
    g = g.output("out", "done");
    for (const [i, id] of ["start", ...ids].entries())
      g = g.edge(id, ids[i] ?? "out", id === "start" ? undefined : "yes");
    const runId = await newRun();
    const { store, count } = counting();
    const spec = { runId, graph: g.build(), input: { input: "x" }, depth: 0 };
    expect(await runWorkflow(spec, { ...memoryPorts().ports, store }, never)).toEqual({
      status: "completed",
      output: "done",
    });
    // Grouped: what piles up while one statement is on its way leaves as the next (was 4 per step).
    expect(count.writes).toBeGreaterThan(0);
    expect(count.writes).toBeLessThanOrEqual(10);
    const steps = await store.steps(runId);
    expect(steps).toHaveLength(32);
    expect(steps.every((s) => s.status === "done" && s.endedAt !== undefined)).toBe(true);
    const types = (await events(runId)).map((e) => e.type);
    expect(types).toHaveLength(1 + 32 * 2 + 1);
    expect(types.at(0)).toBe("run.started");
    expect(types.at(-1)).toBe("run.completed");
  });

  it("records a step with side effects as running before it acts, and its end before the next one acts", async () => {
    //  start ─> a ─> b ─> out
    const g = graph().start("start").agent("a").agent("b").output("out").chain("start", "a", "b", "out").build();
    const runId = await newRun();
    const { store, count } = counting();
    const seen: string[] = [];
    const fake = memoryPorts({
      answer: async (request) => {
        // What the database holds when the model is called for this step.
        const steps = await new SqlRunStore(database.sql).steps(runId);
        seen.push(steps.map((s) => `${s.nodeId}:${s.status}`).join(" "));
        return request.context.nodeId;
      },
    });
    const spec = { runId, graph: g, input: { input: "x" }, depth: 0 };
    expect((await runWorkflow(spec, { ...fake.ports, store }, never)).status).toBe("completed");
    expect(seen).toEqual(["start:done a:running", "start:done a:done b:running"]);
    // One commit per step at most: a step's end goes out with the next one's start.
    expect(count.writes).toBeLessThanOrEqual(4);
  });
});

describe.runIf(process.env.DATABASE_URL)("followers on PostgreSQL", () => {
  it("are notified by the statement that stores the events, with their numbers, once it commits", async () => {
    const listener = new Client({ connectionString: scratch.url });
    await listener.connect();
    try {
      const heard: { runId: string; events: { seq: number; type: string; nodeId?: string }[] }[] = [];
      listener.on("notification", (n) => heard.push(JSON.parse(n.payload!)));
      await listener.query('LISTEN "flowdeck_run_events"');
      const runId = await newRun();
      const store = new SqlRunStore(database.sql);
      await store.save(runId, {
        steps: [{ nodeId: "a", kind: "agent", attempt: 1, status: "running", startedAt: 1 }],
        events: [{ type: "run.started" }, { type: "step.started", nodeId: "a", payload: { attempt: 1 } }],
      });
      // Too big for one notification: followers are told where the events end, and read the table.
      await store.save(runId, {
        events: [{ type: "step.completed", nodeId: "a", payload: { text: "x".repeat(9_000) } }],
      });
      await expect.poll(() => heard.length).toBe(2);
      expect(heard[0]).toEqual({
        runId,
        events: [
          { seq: 1, type: "run.started" },
          { seq: 2, type: "step.started", nodeId: "a", payload: { attempt: 1 } },
        ],
      });
      expect(heard[1]).toEqual({ runId, events: [{ seq: 3, type: "step.completed", truncated: true }] });
    } finally {
      await listener.end();
    }
  });
});

describe("a write that fails", () => {
  it("stores a NUL or a lone surrogate in a step's answer, error or logs as U+FFFD (jsonb refuses both)", async () => {
    const runId = await newRun();
    const store = new SqlRunStore(database.sql);
    const odd = "bad \u0000 and \ud800 text";
    await store.save(runId, {
      steps: [
        {
          nodeId: "a",
          kind: "agent",
          attempt: 1,
          status: "failed",
          input: { [odd]: odd },
          output: odd,
          error: odd,
          logs: [odd],
          startedAt: Date.now(),
          endedAt: Date.now(),
        } as never,
      ],
      events: [{ type: "step.failed", nodeId: "a", payload: { error: odd } }],
    });
    const [step] = await store.steps(runId);
    const clean = "bad \uFFFD and \uFFFD text";
    expect(step).toMatchObject({
      status: "failed",
      input: { [clean]: clean },
      output: clean,
      error: clean,
      logs: [clean],
    });
  });

  it("fails every later write of the run, and stops the run with every branch ended", async () => {
    //  start ─> a ─> b ─> out        (the database refuses a's answer for good: a trigger)
    const g = graph().start("start").agent("a").agent("b").output("out").chain("start", "a", "b", "out").build();
    const runId = await newRun();
    await database.sql.query(`CREATE OR REPLACE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW."output"::text LIKE '%poison%' THEN RAISE EXCEPTION 'refused for good'; END IF; RETURN NEW; END $$`);
    await database.sql.query(
      `CREATE TRIGGER refuse_poison BEFORE INSERT OR UPDATE ON "RunStep" FOR EACH ROW EXECUTE FUNCTION refuse_poison()`,
    );
    try {
      const store = new SqlRunStore(database.sql);
      const fake = memoryPorts({ answer: (r) => (r.context.nodeId === "a" ? "poison" : "fine") });
      const spec = { runId, graph: g, input: { input: "x" }, depth: 0 };
      await expect(runWorkflow(spec, { ...fake.ports, store }, never)).rejects.toThrow();
      // b never acted, and nothing was written after the failed write.
      expect(fake.modelCalls.map((c) => c.context.nodeId)).toEqual(["a"]);
      await expect(store.save(runId, { events: [{ type: "run.started" }] })).rejects.toThrow();
      const steps = await store.steps(runId);
      expect(steps.map((s) => `${s.nodeId}:${s.status}`)).toEqual(["start:done", "a:running"]);
    } finally {
      await database.sql.query(`DROP TRIGGER IF EXISTS refuse_poison ON "RunStep"`);
    }
  });
});

describe("a worker that lost the run's lease", () => {
  it("writes nothing more once another worker took the run over, and its run stops with the refusal", async () => {
    //  start ─> a ─> b ─> out        (while a works, the run is taken over by worker B)
    const g = graph().start("start").agent("a").agent("b").output("out").chain("start", "a", "b", "out").build();
    const runId = await newRun();
    const lease = (owner: string) =>
      database.prisma.run.update({
        where: { id: runId },
        data: { leaseOwner: owner, leaseExpiresAt: new Date(Date.now() + 30_000) },
      });
    await lease("worker-a");
    const store = new SqlRunStore(database.sql, { leaseOwner: "worker-a" });
    const fake = memoryPorts({
      answer: async (r) => {
        if (r.context.nodeId === "a") await lease("worker-b"); // A is paused past its lease meanwhile
        return "done";
      },
    });
    const spec = { runId, graph: g, input: { input: "x" }, depth: 0 };
    await expect(runWorkflow(spec, { ...fake.ports, store }, never)).rejects.toThrow(/another worker took it over/);
    expect(fake.modelCalls.map((c) => c.context.nodeId)).toEqual(["a"]); // b never acted here
    const steps = await new SqlRunStore(database.sql).steps(runId);
    expect(steps.map((s) => `${s.nodeId}:${s.status}`)).toEqual(["start:done", "a:running"]);
    // The worker that holds the lease writes as before.
    const b = new SqlRunStore(database.sql, { leaseOwner: "worker-b" });
    await b.save(runId, { events: [{ type: "step.started", nodeId: "a" }] });
    expect((await events(runId)).at(-1)).toMatchObject({ type: "step.started", nodeId: "a" });
  });
});

describe.runIf(process.env.DATABASE_URL)("time", () => {
  it("is UTC in every session, whatever the server's default: a run's timestamps read back as written", async () => {
    const admin = new Client({ connectionString: scratch.url });
    await admin.connect();
    const name = (await admin.query<{ db: string }>("SELECT current_database() AS db")).rows[0]!.db;
    await admin.query(`ALTER DATABASE "${name}" SET timezone = 'Asia/Tokyo'`);
    await admin.end();
    const tokyo = await openDatabase({ url: scratch.url!, dataDir: "" });
    try {
      expect(await tokyo.sql.query("SHOW TimeZone")).toEqual([{ TimeZone: "UTC" }]);
      const runId = await newRun();
      const [row] = await tokyo.sql.query<{ createdMs: number }>(
        `UPDATE "Run" SET "createdAt" = now() WHERE "id" = $1 RETURNING (extract(epoch FROM "createdAt") * 1000)::float8 AS "createdMs"`,
        [runId],
      );
      expect(Math.abs(row!.createdMs - Date.now())).toBeLessThan(60_000);
    } finally {
      await tokyo.close();
    }
  });
});
