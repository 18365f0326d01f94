import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { answersGraph, until } from "../support/evaluation-graph";
import { gatewayWorld } from "../support/gateway-world";

/**
 * An evaluation outlives the process that drives it (PostgreSQL: two real processes): the
 * driver, in a process of its own, is killed while a case runs; once it has been silent long
 * enough, another process takes the evaluation over, awaits the case under way (its run is not
 * started again) and runs the rest.
 */
const world = gatewayWorld("evaltakeover");
let worker: { stop(): Promise<void> };

beforeAll(async () => {
  const { startRunWorker } = await import("../../lib/execution/run-worker");
  worker = await startRunWorker({ concurrency: 4 });
});

afterAll(async () => {
  await worker?.stop();
  const { stopQueue } = await import("../../lib/platform/queues");
  await stopQueue();
});

it.runIf(process.env.DATABASE_URL)(
  "an evaluation whose process is killed is taken over: cases under way are awaited, not run twice",
  async () => {
    await world.alias("writer", [{ modelId: "writer-model" }]);
    world.llm.behave("writer-model", { kind: "answer", text: "Kelp", delayMs: 1200 });
    const { createWorkflow } = await import("../../lib/workflows/workflows");
    const { addCases } = await import("../../lib/evaluations/cases");
    const { saveSuite, getEvaluation } = await import("../../lib/evaluations/read-evaluations");
    const { resumeStaleEvaluations } = await import("../../lib/evaluations/takeover");
    const ws = world.admin.workspace.id;
    const g = answersGraph("");
    const wf = await createWorkflow(ws, world.admin.user.id, {
      name: "Taken over",
      description: "",
      graph: {
        nodes: [g.nodes[0]!, g.nodes[1]!, g.nodes[3]!],
        edges: [g.edges[0]!, { id: "e2", source: "write", target: "out" }],
      },
    });
    await addCases(
      world.admin,
      wf.id,
      [1, 2, 3].map((i) => ({ input: { question: `q${i}` }, expected: "Kelp" })),
    );
    await saveSuite(world.admin, wf.id, { evaluators: [{ kind: "contains" }], gate: null });

    // A driver in a process of its own, killed while its first case runs.
    const child = spawn(
      "node_modules/.bin/tsx",
      [
        "--conditions=react-server",
        "test/support/evaluation-driver.ts",
        JSON.stringify({ viewer: world.admin, workflowId: wf.id }),
      ],
      // Its own process group: tsx runs node as a child, and both must die.
      { env: process.env, stdio: ["ignore", "pipe", "inherit"], detached: true },
    );
    const id = await new Promise<string>((resolve) =>
      child.stdout.on("data", (d: Buffer) =>
        resolve((JSON.parse(String(d).trim().split("\n")[0]!) as { id: string }).id),
      ),
    );
    await until(
      () => getEvaluation(ws, id),
      (e) => e.results.some((r) => r.status === "RUNNING" && r.runId),
    );
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(-child.pid!, "SIGKILL");
    await exited;
    const before = await getEvaluation(ws, id);
    expect(before.status).toBe("RUNNING");

    // Not taken over while its driver could still be alive; taken over once it has been silent long enough.
    expect(await resumeStaleEvaluations()).toBe(0);
    const prisma = await world.mod.db.db();
    await prisma.evaluation.update({ where: { id }, data: { driverSeenAt: new Date(Date.now() - 60_000) } });
    expect(await resumeStaleEvaluations()).toBe(1);
    const ended = await until(
      () => getEvaluation(ws, id),
      (e) => e.status !== "RUNNING",
      30_000,
    );
    expect(ended).toMatchObject({ status: "COMPLETED", total: 3, done: 3, passed: 3 });
    // The case under way kept its run: three runs in all, one per case.
    expect(await prisma.run.count({ where: { workflowId: wf.id, trigger: "evaluation" } })).toBe(3);
  },
);
