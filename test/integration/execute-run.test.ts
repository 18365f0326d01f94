import { expect, it } from "vitest";
import { runHarness } from "../support/run-harness";

/**
 * Executing a run in a worker: two jobs for one run fetched at the same moment (a stopping
 * worker's hand-back and a sweep that found the run unheld) execute it once, each step once; what
 * PostgreSQL cannot store in a step's value never stops a run's writes; a write refused for good
 * fails the run once, never leaves it running for the sweeper to take up again.
 */
const h = runHarness("execute");
type Kind = "start" | "agent" | "output" | "transform";
const node = (id: string, kind: Kind, config: Record<string, unknown>, x: number) => ({
  id,
  kind,
  label: id,
  position: { x, y: 0 },
  config,
});
/** A draft run of start ─> a ─> out, a being `a`. */
async function runOf(name: string, a: ReturnType<typeof node>): Promise<string> {
  const wf = await h.mod.workflows.createWorkflow(h.admin.workspace.id, h.admin.user.id, {
    name,
    description: "",
    graph: {
      nodes: [node("start", "start", { fields: [] }, 0), a, node("out", "output", { value: "{{nodes.a.output}}" }, 2)],
      edges: [
        { id: "e1", source: "start", target: "a" },
        { id: "e2", source: "a", target: "out" },
      ],
    },
  });
  return (await h.mod.start.startRun(h.admin, wf.id, { input: {}, mode: "draft" })).id;
}
const runRow = async (runId: string) =>
  (await h.mod.db.db()).run.findUniqueOrThrow({ where: { id: runId }, select: { status: true, error: true } });

it("executes a run once when asked twice at the same moment in one process", async () => {
  //  start ──> a ──> out
  const wf = await h.mod.workflows.createWorkflow(h.admin.workspace.id, h.admin.user.id, {
    name: "Twice",
    description: "",
    graph: {
      nodes: [
        node("start", "start", { fields: [] }, 0),
        node("a", "agent", { model: "demo", instructions: "Say hi." }, 1),
        node("out", "output", { value: "{{nodes.a.output.text}}" }, 2),
      ],
      edges: [
        { id: "e1", source: "start", target: "a" },
        { id: "e2", source: "a", target: "out" },
      ],
    },
  });
  const { id: runId } = await h.mod.start.startRun(h.admin, wf.id, { input: {}, mode: "draft" });
  const outcomes = await Promise.all([h.mod.execute.executeRun(runId), h.mod.execute.executeRun(runId)]);
  expect(outcomes.filter((o) => o === null)).toHaveLength(1);
  expect(outcomes.find((o) => o !== null)).toMatchObject({ status: "completed" });
  const steps = await (
    await h.mod.db.db()
  ).runStep.findMany({ where: { runId }, select: { nodeId: true, attempt: true } });
  expect(steps.map((s) => `${s.nodeId}#${s.attempt}`).sort()).toEqual(["a#1", "out#1", "start#1"]);
});

it("stores a NUL or a lone surrogate a step made as U+FFFD, and the run completes", async () => {
  // A reviewer's JSON, a binary HTTP answer, a tool or a mapping can make either; jsonb refuses both.
  // Before: the step's write failed, the run crashed, and the sweeper took it up again every second.
  const runId = await runOf(
    "Unstorable text",
    node("a", "transform", { expression: '{ "text": "bad \\u0000 and \\ud800 here", "k\\u0000": 1 }' }, 1),
  );
  expect(await h.mod.execute.executeRun(runId)).toMatchObject({ status: "completed" });
  expect(await runRow(runId)).toMatchObject({ status: "COMPLETED", error: null });
  const step = await (await h.mod.db.db()).runStep.findFirstOrThrow({ where: { runId, nodeId: "a" } });
  expect(step.output).toEqual({ v: { text: "bad \uFFFD and \uFFFD here", "k\uFFFD": 1 } });
});

it("fails the run once when the database refuses its writes for good, instead of leaving it running", async () => {
  // Any write the database refuses for good (here, a trigger refuses step a's) breaks the run's
  // store. Before: recording the crash went through that same broken store and failed too, so the
  // run stayed RUNNING with nobody holding it, to be taken up and crash again, forever.
  const { sql } = await h.mod.db.database();
  await sql.query(`CREATE OR REPLACE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW."output"::text LIKE '%poison%' THEN RAISE EXCEPTION 'refused for good'; END IF; RETURN NEW; END $$`);
  await sql.query(
    `CREATE TRIGGER refuse_poison BEFORE INSERT OR UPDATE ON "RunStep" FOR EACH ROW EXECUTE FUNCTION refuse_poison()`,
  );
  try {
    const runId = await runOf("Refused", node("a", "transform", { expression: '{ "text": "poison" }' }, 1));
    expect(await h.mod.execute.executeRun(runId)).toMatchObject({ status: "failed" });
    const run = await runRow(runId);
    expect(run.status).toBe("FAILED");
    expect(run.error).toContain("refused for good");
    // Not taken up again: nobody holds it, and it is no longer running.
    expect(await h.mod.execute.executeRun(runId)).toBeNull();
  } finally {
    await sql.query(`DROP TRIGGER IF EXISTS refuse_poison ON "RunStep"`);
  }
});
