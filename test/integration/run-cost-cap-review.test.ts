import { afterAll, beforeAll, expect, it } from "vitest";
import type { WorkflowGraph } from "../../lib/schemas/workflow";
import { until } from "../support/evaluation-graph";
import { gatewayWorld } from "../support/gateway-world";

/**
 * A run at its cost cap, when its workflow says to wait for a person: the step that would pass
 * the cap asks an admin to raise it (nothing is sent to the provider meanwhile); approved, the
 * run's cap is what the admin typed and the step goes on from the refused call, the calls before
 * it not made again; rejected, the run fails naming who did not raise it. Through the real
 * gateway, run worker and review inbox, with a loopback provider at $1 a call.
 */
const world = gatewayWorld("run-cost-cap-review");
let worker: { stop(): Promise<void> };

beforeAll(async () => {
  const { startRunWorker } = await import("../../lib/execution/run-worker");
  worker = await startRunWorker({ concurrency: 2 });
});

afterAll(async () => {
  await worker?.stop();
  const { stopQueue } = await import("../../lib/platform/queues");
  await stopQueue();
});

const agent = (id: string, x: number, instructions: string) => ({
  id,
  kind: "agent" as const,
  label: id === "first" ? "First" : "Second",
  position: { x, y: 0 },
  config: { model: "paid", instructions },
});

const graph: WorkflowGraph = {
  nodes: [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
    agent("first", 260, "Say one word"),
    agent("second", 520, "Say another: {{nodes.first.output.text}}"),
    {
      id: "out",
      kind: "output",
      label: "Out",
      position: { x: 780, y: 0 },
      config: { value: "{{nodes.second.output.text}}" },
    },
  ],
  edges: [
    { id: "e1", source: "start", target: "first" },
    { id: "e2", source: "first", target: "second" },
    { id: "e3", source: "second", target: "out" },
  ],
};

it("waits at the cost cap for an admin, who raises it or stops the run", async () => {
  // $1 a call: one output token at $1 a token, and never more than one.
  await world.alias("paid", [{ modelId: "paid-model" }], { maxOutputTokens: 1 });
  world.llm.behave("paid-model", { kind: "answer", text: "word", usage: { prompt: 1, completion: 1 } });
  const prisma = await world.mod.db.db();
  const { createWorkflow, updateWorkflow } = await import("../../lib/workflows/workflows");
  const { gatewayChanged } = await import("../../lib/gateway/config");
  const { startRun } = await import("../../lib/runs/start-run");
  const { decideReview } = await import("../../lib/review/decide-review");
  const wf = await createWorkflow(world.admin.workspace.id, world.admin.user.id, {
    name: "Capped",
    description: "",
    graph,
  });
  const ws = world.admin.workspace.id;
  await updateWorkflow(ws, world.admin.user.id, wf.id, { maxRunCostUsd: 1.5, costCapAction: "REVIEW" });
  await gatewayChanged(ws);
  const settled = (runId: string, statuses: string[]) =>
    until(
      () => prisma.run.findUniqueOrThrow({ where: { id: runId } }),
      (r) => statuses.includes(r.status),
    );

  // The first call ($1) fits; the second would make $2: the run waits for an admin.
  const run = await startRun(world.builder, wf.id, { mode: "draft", input: {} });
  expect((await settled(run.id, ["WAITING", "FAILED", "COMPLETED"])).status).toBe("WAITING");
  expect(world.llm.calls("paid-model")).toBe(1);
  const review = await prisma.review.findFirstOrThrow({ where: { runId: run.id } });
  const asked = review.payload as { instructions: string; content: string; reviewerRole: string };
  expect(asked.reviewerRole).toBe("ADMIN");
  expect(asked.instructions).toContain("it may spend **$1.50** on models, **$1.00** is spent");
  expect(JSON.parse(asked.content)).toEqual({ "New cost cap for this run (USD)": 3 });
  const cap = (usd: unknown) => JSON.stringify({ "New cost cap for this run (USD)": usd });
  // An amount not above the cap, or not a number, is refused in the inbox, saying why.
  await expect(
    decideReview(world.admin, review.id, { outcome: "approved", content: cap(1.2), comment: "" }),
  ).rejects.toMatchObject({
    status: 400,
    message: expect.stringContaining("“New cost cap for this run (USD)” must be more than 1.5"),
  });
  await expect(
    decideReview(world.admin, review.id, { outcome: "approved", content: cap("five cents"), comment: "" }),
  ).rejects.toMatchObject({ status: 400, message: expect.stringContaining("must be a number") });
  // A builder may not raise it; an admin raises it to $2.50, as they typed.
  await expect(
    decideReview(world.builder, review.id, { outcome: "approved", content: cap(100), comment: "" }),
  ).rejects.toMatchObject({ status: expect.any(Number) });
  await decideReview(world.admin, review.id, { outcome: "approved", content: cap(2.5), comment: "Worth it." });
  const done = await settled(run.id, ["COMPLETED", "FAILED"]);
  expect(done.status).toBe("COMPLETED");
  expect(done.costCapUsd).toBe(2.5);
  expect(world.llm.calls("paid-model")).toBe(2); // the first call was not made again

  // Rejected: the run fails, saying who did not raise the cap and why.
  const second = await startRun(world.builder, wf.id, { mode: "draft", input: {} });
  await settled(second.id, ["WAITING"]);
  const again = await prisma.review.findFirstOrThrow({ where: { runId: second.id } });
  await decideReview(world.admin, again.id, { outcome: "rejected", comment: "Too dear." });
  const failed = await settled(second.id, ["COMPLETED", "FAILED"]);
  expect(failed.status).toBe("FAILED");
  expect(failed.error).toContain("did not raise it: Too dear.");
  expect(world.llm.calls("paid-model")).toBe(3);

  // Set to stop instead: the run fails at the cap, as before.
  await updateWorkflow(ws, world.admin.user.id, wf.id, { costCapAction: "FAIL" });
  await gatewayChanged(ws);
  const third = await startRun(world.builder, wf.id, { mode: "draft", input: {} });
  const stopped = await settled(third.id, ["COMPLETED", "FAILED", "WAITING"]);
  expect(stopped.status).toBe("FAILED");
  expect(stopped.error).toContain("Cost cap reached: this run may spend $1.50");
  expect(await prisma.review.count({ where: { runId: third.id } })).toBe(0);
});
