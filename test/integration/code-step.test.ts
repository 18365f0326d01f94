import { expect, it } from "vitest";
import { runHarness } from "../support/run-harness";

/**
 * A Code step through the real engine, store and sandbox: its value and console lines are
 * stored with the step and shown in the run's trace; code that runs past its limit fails its
 * step (and only that), and the sandbox sees nothing of the process around it.
 */
const h = runHarness("codestep");

const node = (id: string, kind: "start" | "code" | "output", config: Record<string, unknown>, x: number) => ({
  id,
  kind,
  label: id,
  position: { x, y: 0 },
  config,
});

async function runCode(code: string, input: Record<string, unknown>) {
  //  start ──> total (code) ──> out
  const wf = await h.mod.workflows.createWorkflow(h.admin.workspace.id, h.admin.user.id, {
    name: `Code ${Math.random()}`,
    description: "",
    graph: {
      nodes: [
        node("start", "start", { fields: [{ name: "prices", type: "json", required: true }] }, 0),
        node("total", "code", { code, timeLimitSeconds: 0.5, memoryMb: 16 }, 1),
        node("out", "output", { value: "{{nodes.total.output}}" }, 2),
      ],
      edges: [
        { id: "e1", source: "start", target: "total" },
        { id: "e2", source: "total", target: "out" },
      ],
    },
  });
  const { id: runId } = await h.mod.start.startRun(h.admin, wf.id, { input, mode: "draft" });
  const outcome = await h.mod.execute.executeRun(runId);
  const { getRun } = await import("../../lib/runs/read-runs");
  return { outcome, run: await getRun(h.admin.workspace.id, runId) };
}

it("stores the code's value and console lines with its step, and the trace shows them", async () => {
  const { outcome, run } = await runCode(
    "const prices = nodes.start.output.prices;\nconsole.log('adding', prices.length, 'prices');\nreturn { total: prices.reduce((a, b) => a + b, 0), env: typeof process === 'undefined' ? 'none' : 'leaked' };",
    { prices: [1.5, 2, 3] },
  );
  expect(outcome).toMatchObject({ status: "completed" });
  expect(run.steps.find((s) => s.nodeId === "total")).toMatchObject({
    status: "done",
    output: { total: 6.5, env: "none" },
    logs: ["adding 3 prices"],
  });
  expect(run.output).toEqual({ total: 6.5, env: "none" });
});

it("fails the step of code past its time limit, keeping what it logged, and the process carries on", async () => {
  const started = Date.now();
  const { outcome, run } = await runCode("console.log('spinning');\nfor (;;) {}", { prices: [] });
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(outcome).toMatchObject({ status: "failed" });
  expect(run.steps.find((s) => s.nodeId === "total")).toMatchObject({
    status: "failed",
    error: "JavaScript: Stopped: the code ran past its time limit of 0.5 s",
    logs: ["spinning"],
  });
  expect(run.error).toMatch(/time limit/);
});
