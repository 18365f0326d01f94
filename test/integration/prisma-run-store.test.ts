import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scratchDatabase, type ScratchDatabase } from "../support/scratch-database";
import { openDatabase, type Database } from "../../lib/db/client";
import { graph } from "../../lib/engine/graph/graph-builder.test-support";
import { runWorkflow } from "../../lib/engine/run/run-workflow";
import { describeRunStore } from "../../lib/engine/testing/run-store-conformance";
import { memoryPorts } from "../../lib/engine/testing/memory-ports";
import { PrismaRunStore } from "../../lib/runs/prisma-run-store";

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

const events = (runId: string) =>
  database.prisma.runEvent.findMany({
    where: { runId },
    orderBy: { seq: "asc" },
    select: { seq: true, type: true, nodeId: true },
  });

describeRunStore(`Prisma on ${process.env.DATABASE_URL ? "Postgres" : "PGlite"}`, async () => ({
  store: new PrismaRunStore(database.prisma),
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
    const never = new AbortController().signal;
    expect((await runWorkflow(spec, { ...fake.ports, store: new PrismaRunStore(database.prisma) }, never)).status).toBe(
      "waiting",
    );
    fake.decide("review_1", { outcome: "approved", content: "fine", comment: "", reviewer: "rita" });
    expect(await runWorkflow(spec, { ...fake.ports, store: new PrismaRunStore(database.prisma) }, never)).toEqual({
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
