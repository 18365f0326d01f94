import { expect, it } from "vitest";
import { runHarness } from "../support/run-harness";

/**
 * Two jobs for one run fetched by one worker at the same moment (a stopping worker's hand-back
 * and a sweep that found the run unheld): the run executes once, each step once.
 */
const h = runHarness("execute");

it("executes a run once when asked twice at the same moment in one process", async () => {
  //  start ──> a ──> out
  const node = (id: string, kind: "start" | "agent" | "output", config: Record<string, unknown>, x: number) => ({
    id,
    kind,
    label: id,
    position: { x, y: 0 },
    config,
  });
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
