import { afterAll, expect, it } from "vitest";
import type { WorkflowGraph } from "../../lib/schemas/workflow";
import { gatewayWorld } from "../support/gateway-world";

/**
 * "Replay from here", and pinned outputs, on a real database, through the real gateway to a real OpenAI-compatible
 * server on loopback: the steps before the chosen one are copied from the earlier run, so their
 * model calls are not made again (counted at the server) nor paid for again; the chosen step
 * reads what the person edited; the draft as it is now may run instead of the run's version.
 * A pinned step is not run by a test run of the draft (nor the steps only it needed), and is
 * ignored by a published run.
 */
const world = gatewayWorld("replay");

afterAll(async () => {
  const { stopQueue } = await import("../../lib/platform/queues");
  await stopQueue();
});

const agent = (id: string, model: string, instructions: string, x: number) => ({
  id,
  kind: "agent" as const,
  label: id[0]!.toUpperCase() + id.slice(1),
  position: { x, y: 0 },
  config: { model, instructions },
});

/** Start → Research → Write → Out, with Tag beside them (Start → Tag → Out). */
const graph = (writeInstructions: string): WorkflowGraph => ({
  nodes: [
    {
      id: "start",
      kind: "start",
      label: "Start",
      position: { x: 0, y: 0 },
      config: { fields: [{ name: "topic", type: "text", required: true }] },
    },
    agent("research", "researcher", "Research {{nodes.start.output.topic}}", 260),
    agent("write", "writer", writeInstructions, 520),
    agent("tag", "tagger", "Tag {{nodes.start.output.topic}}", 520),
    {
      id: "out",
      kind: "output",
      label: "Out",
      position: { x: 780, y: 0 },
      config: { value: "{{nodes.write.output.text}} [{{nodes.tag.output.text}}]" },
    },
  ],
  edges: [
    { id: "e1", source: "start", target: "research" },
    { id: "e2", source: "research", target: "write" },
    { id: "e3", source: "start", target: "tag" },
    { id: "e4", source: "write", target: "out" },
    { id: "e5", source: "tag", target: "out" },
  ],
});

async function published() {
  const { createWorkflow } = await import("../../lib/workflows/workflows");
  const { publishWorkflow } = await import("../../lib/workflows/versions");
  const ws = world.admin.workspace.id;
  const wf = await createWorkflow(ws, world.admin.user.id, {
    name: "Brief",
    description: "",
    graph: graph("Write about: {{nodes.research.output.text}}"),
  });
  await publishWorkflow(ws, world.admin.user.id, wf.id, { note: "", revision: wf.revision });
  return wf;
}

async function runToEnd(id: string) {
  const { executeRun } = await import("../../lib/execution/execute-run");
  expect(await executeRun(id)).toMatchObject({ status: "completed" });
  const { getRun } = await import("../../lib/runs/read-runs");
  return getRun(world.admin.workspace.id, id);
}

const lastPrompt = (model: string) => JSON.stringify(world.llm.requests.filter((r) => r.model === model).at(-1));

it("replays from a middle step with what it reads edited: the steps before it are copied, not called or paid again", async () => {
  for (const [alias, model] of [
    ["researcher", "research-model"],
    ["writer", "writer-model"],
    ["tagger", "tag-model"],
  ] as const)
    await world.alias(alias, [{ modelId: model }]);
  world.llm.behave("research-model", {
    kind: "answer",
    text: "Otters eat urchins.",
    usage: { prompt: 5, completion: 3 },
  });
  world.llm.behave("tag-model", { kind: "answer", text: "marine", usage: { prompt: 5, completion: 1 } });
  const wf = await published();
  const { startRun } = await import("../../lib/runs/start-run");
  const { replayRun } = await import("../../lib/runs/replay-run");
  const first = await runToEnd(
    (await startRun(world.admin, wf.id, { input: { topic: "otters" }, mode: "published" })).id,
  );
  expect(first.output).toBe("Echo: Write about: Otters eat urchins. [marine]");
  expect(world.llm.calls()).toBe(3);

  const edited = { text: "Kelp forests store carbon.", object: null };
  const replay = await replayRun(world.admin, first.id, { nodeId: "write", on: "run", reads: { research: edited } });
  // Tag is on a branch that does not lead through Write: copied too.
  expect(replay.reused.sort()).toEqual(["research", "start", "tag"]);
  const second = await runToEnd(replay.id);
  expect(second.replayOf).toEqual({ runId: first.id, fromNodeId: "write" });
  expect(second.version).toBe(1);
  expect(second.output).toBe("Echo: Write about: Kelp forests store carbon. [marine]");
  // Only Write called its model again; the copies cost this run nothing.
  expect([world.llm.calls("research-model"), world.llm.calls("tag-model"), world.llm.calls("writer-model")]).toEqual([
    1, 1, 2,
  ]);
  expect(lastPrompt("writer-model")).toContain("Kelp forests store carbon.");
  const prisma = await world.mod.db.db();
  const steps = await prisma.runStep.findMany({ where: { runId: second.id } });
  expect(steps.filter((s) => s.nodeId !== "write").every((s) => s.costUsd === 0)).toBe(true);
  const row = await prisma.run.findUniqueOrThrow({ where: { id: second.id } });
  expect(row.costUsd).toBe(steps.find((s) => s.nodeId === "write")!.costUsd);
  const started = await prisma.runEvent.findMany({ where: { runId: second.id, type: "step.completed" } });
  expect(started.find((e) => e.nodeId === "research")!.payload).toMatchObject({ reused: true, edited: true });

  // From the Start step with a new input: every step runs again.
  const fromStart = await replayRun(world.admin, first.id, { nodeId: "start", on: "run", input: { topic: "seals" } });
  expect(fromStart.reused).toEqual([]);
  expect((await runToEnd(fromStart.id)).input).toEqual({ topic: "seals" });
  expect(lastPrompt("research-model")).toContain("Research seals");
  expect(world.llm.calls()).toBe(7);

  // On the draft as it is now: Write's new instructions, a test run of the draft.
  const { saveDraft } = await import("../../lib/workflows/save-draft");
  await saveDraft(world.admin.workspace.id, world.admin.user.id, wf.id, {
    revision: wf.revision,
    graph: graph("Rewrite briefly: {{nodes.research.output.text}}"),
  });
  const onDraft = await replayRun(world.admin, first.id, { nodeId: "write", on: "draft" });
  const third = await runToEnd(onDraft.id);
  expect(third.version).toBeNull();
  expect(third.output).toBe("Echo: Rewrite briefly: Otters eat urchins. [marine]");
  expect(world.llm.calls("research-model")).toBe(2);
});

it("refuses what a replay cannot do, naming the field", async () => {
  await world.alias("researcher", [{ modelId: "research-model" }]);
  await world.alias("writer", [{ modelId: "writer-model" }]);
  await world.alias("tagger", [{ modelId: "tag-model" }]);
  const wf = await published();
  const { startRun } = await import("../../lib/runs/start-run");
  const { replayRun } = await import("../../lib/runs/replay-run");
  const run = await runToEnd(
    (await startRun(world.admin, wf.id, { input: { topic: "otters" }, mode: "published" })).id,
  );
  const refusal = (ask: Parameters<typeof replayRun>[2]) =>
    replayRun(world.admin, run.id, ask).then(
      () => "accepted",
      (e: Error) => e.message,
    );
  expect(await refusal({ nodeId: "write", on: "run", input: { topic: "x" } })).toMatch(/^body\.input: /);
  expect(await refusal({ nodeId: "write", on: "run", reads: { tag: {} } })).toMatch(/^body\.reads\.tag: /);
  expect(await refusal({ nodeId: "nowhere", on: "run" })).toMatch(/^body\.nodeId: /);
  expect(await refusal({ nodeId: "start", on: "run", input: {} })).toMatch(/^body\.input\.topic: /);
  const { AppError } = await import("../../lib/errors/app-error");
  const prisma = await world.mod.db.db();
  await prisma.run.update({ where: { id: run.id }, data: { status: "RUNNING" } });
  await expect(replayRun(world.admin, run.id, { nodeId: "write", on: "run" })).rejects.toBeInstanceOf(AppError);
  expect(await refusal({ nodeId: "write", on: "run" })).toMatch(/only a run that ended/i);
});

it("a test run starts from pinned outputs, leaving out what only they needed; a published run ignores pins", async () => {
  for (const [alias, model] of [
    ["researcher", "research-model"],
    ["writer", "writer-model"],
    ["tagger", "tag-model"],
  ] as const)
    await world.alias(alias, [{ modelId: model }]);
  world.llm.reset();
  world.llm.behave("research-model", { kind: "answer", text: "Otters eat urchins." });
  const wf = await published();
  const { startRun } = await import("../../lib/runs/start-run");
  const { pinOutput, unpinOutput, listPins } = await import("../../lib/runs/pins");
  const draftRun = async () =>
    runToEnd((await startRun(world.admin, wf.id, { input: { topic: "otters" }, mode: "draft" })).id);

  // Nothing ran Research yet: there is no last run to pin from.
  await expect(pinOutput(world.admin, wf.id, "research", { fromLastRun: true })).rejects.toThrow(/No run has finished/);
  await pinOutput(world.admin, wf.id, "research", { output: { text: "Pinned: seals sleep in water." } });
  const pinnedRun = await draftRun();
  expect(pinnedRun.output).toBe("Echo: Write about: Pinned: seals sleep in water. [Echo: Tag otters]");
  expect(world.llm.calls("research-model")).toBe(0);
  expect(pinnedRun.steps.find((s) => s.nodeId === "research")).toMatchObject({ status: "done", copied: "pinned" });

  // Pinning Write (Research unpinned) leaves Research out: only Write needed it.
  await unpinOutput(world.admin, wf.id, "research");
  await pinOutput(world.admin, wf.id, "write", { output: { text: "A pinned brief." } });
  const both = await draftRun();
  expect(both.output).toBe("A pinned brief. [Echo: Tag otters]");
  expect(both.steps.find((s) => s.nodeId === "research")?.status).toBe("skipped");
  expect([world.llm.calls("research-model"), world.llm.calls("writer-model")]).toEqual([0, 1]);

  // A published run never uses pins.
  const live = await runToEnd(
    (await startRun(world.admin, wf.id, { input: { topic: "otters" }, mode: "published" })).id,
  );
  expect(live.output).toBe("Echo: Write about: Otters eat urchins. [Echo: Tag otters]");
  expect(live.steps.every((s) => !s.copied)).toBe(true);
  expect(world.llm.calls("research-model")).toBe(1);

  // Pinned from the last run that finished the step; unpinned, the step runs again.
  await unpinOutput(world.admin, wf.id, "write");
  await pinOutput(world.admin, wf.id, "research", { fromLastRun: true });
  expect((await listPins(world.admin.workspace.id, wf.id)).research).toMatchObject({
    output: { text: "Otters eat urchins." },
    fromRunId: live.id,
    pinnedByName: expect.any(String),
  });
  await expect(pinOutput(world.admin, wf.id, "start", { output: {} })).rejects.toThrow(/^params\.nodeId: /);
  await unpinOutput(world.admin, wf.id, "research");
  await draftRun();
  expect(world.llm.calls("research-model")).toBe(2);
});

it("a pin after a branch the test run decides answers its step when the run gets there", async () => {
  await world.alias("researcher", [{ modelId: "research-model" }]);
  world.llm.reset();
  //  Start → Check (a Condition: "deep" when the topic is "otters", else "else") → deep: Research → Out; else: Plain
  const { createWorkflow } = await import("../../lib/workflows/workflows");
  const wf = await createWorkflow(world.admin.workspace.id, world.admin.user.id, {
    name: "Pin after a branch",
    description: "",
    graph: {
      nodes: [
        {
          id: "start",
          kind: "start",
          label: "Start",
          position: { x: 0, y: 0 },
          config: { fields: [{ name: "topic", type: "text", required: true }] },
        },
        {
          id: "check",
          kind: "condition",
          label: "Check",
          position: { x: 260, y: 0 },
          config: { branches: [{ id: "deep", expression: 'nodes.start.output.topic = "otters"' }] },
        },
        agent("research", "researcher", "Research {{nodes.start.output.topic}}", 520),
        {
          id: "out",
          kind: "output",
          label: "Out",
          position: { x: 780, y: 0 },
          config: { value: "{{nodes.research.output.text}}" },
        },
        { id: "plain", kind: "output", label: "Plain", position: { x: 520, y: 200 }, config: { value: "plain" } },
      ],
      edges: [
        { id: "e1", source: "start", target: "check" },
        { id: "e2", source: "check", target: "research", sourceHandle: "deep" },
        { id: "e3", source: "research", target: "out" },
        { id: "e4", source: "check", target: "plain", sourceHandle: "else" },
      ],
    },
  });
  const { pinOutput } = await import("../../lib/runs/pins");
  await pinOutput(world.admin, wf.id, "research", { output: { text: "Pinned: otters hold hands." } });
  const { startRun } = await import("../../lib/runs/start-run");
  const draftRun = async (topic: string) =>
    runToEnd((await startRun(world.admin, wf.id, { input: { topic }, mode: "draft" })).id);
  const deep = await draftRun("otters");
  expect(deep.output).toBe("Pinned: otters hold hands.");
  expect(deep.steps.find((s) => s.nodeId === "research")).toMatchObject({ status: "done", copied: "pinned" });
  const plain = await draftRun("seals");
  expect(plain.output).toBe("plain");
  expect(plain.steps.find((s) => s.nodeId === "research")?.status).toBe("skipped");
  expect(world.llm.calls("research-model")).toBe(0);
});
