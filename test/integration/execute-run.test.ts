import { afterAll, beforeAll, expect, it } from "vitest";
import { pointAtScratchDatabase, seedWorkspace } from "../support/process-database";
import type { Viewer } from "../../lib/auth/session";

/**
 * Two jobs for one run fetched by one worker at the same moment (a stopping worker's hand-back
 * and a sweep that found the run unheld): the run executes once, each step once.
 */
let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>>;
let admin: Viewer;
let mod: {
  db: typeof import("../../lib/db/client");
  workflows: typeof import("../../lib/workflows/workflows");
  start: typeof import("../../lib/runs/start-run");
  execute: typeof import("../../lib/execution/execute-run");
  queue: typeof import("../../lib/platform/queues");
};

beforeAll(async () => {
  scratch = await pointAtScratchDatabase("execute");
  mod = {
    db: await import("../../lib/db/client"),
    workflows: await import("../../lib/workflows/workflows"),
    start: await import("../../lib/runs/start-run"),
    execute: await import("../../lib/execution/execute-run"),
    queue: await import("../../lib/platform/queues"),
  };
  [admin] = await seedWorkspace(await mod.db.db(), "exec", [{ email: "ada@example.com", role: "ADMIN" }]);
});
afterAll(async () => {
  await mod?.queue.stopQueue();
  await scratch?.done();
});

it("executes a run once when asked twice at the same moment in one process", async () => {
  //  start ──> a ──> out
  const node = (id: string, kind: "start" | "agent" | "output", config: Record<string, unknown>, x: number) => ({
    id,
    kind,
    label: id,
    position: { x, y: 0 },
    config,
  });
  const wf = await mod.workflows.createWorkflow(admin.workspace.id, admin.user.id, {
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
  const { id: runId } = await mod.start.startRun(admin, wf.id, { input: {}, mode: "draft" });
  const outcomes = await Promise.all([mod.execute.executeRun(runId), mod.execute.executeRun(runId)]);
  expect(outcomes.filter((o) => o === null)).toHaveLength(1);
  expect(outcomes.find((o) => o !== null)).toMatchObject({ status: "completed" });
  const steps = await (
    await mod.db.db()
  ).runStep.findMany({ where: { runId }, select: { nodeId: true, attempt: true } });
  expect(steps.map((s) => `${s.nodeId}#${s.attempt}`).sort()).toEqual(["a#1", "out#1", "start#1"]);
});
