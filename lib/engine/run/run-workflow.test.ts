import { describe, expect, it } from "vitest";
import { graph } from "../graph/graph-builder.test-support";
import { memoryPorts } from "../testing/memory-ports";
import { RunStop } from "../ports";
import { runWorkflow } from "./run-workflow";

const never = new AbortController().signal;
const spec = (
  g: ReturnType<ReturnType<typeof graph>["build"]>,
  input: Record<string, unknown> = { input: "cats" },
) => ({ runId: "r1", graph: g, input, depth: 0 });

describe("runWorkflow", () => {
  it("runs a line, passing outputs along by reference", async () => {
    //  start ──> research ──> out
    const g = graph()
      .start("start")
      .agent("research", "About {{nodes.start.output.input}}")
      .output("out", "{{nodes.research.output.text}}")
      .chain("start", "research", "out")
      .build();
    const { ports, store } = memoryPorts();
    expect(await runWorkflow(spec(g), ports, never)).toEqual({ status: "completed", output: "echo: About cats" });
    expect(store.eventTypes("r1")).toEqual([
      "run.started",
      "step.started:start",
      "step.completed:start",
      "step.started:research",
      "step.completed:research",
      "step.started:out",
      "step.completed:out",
      "run.completed",
    ]);
  });

  it("runs independent branches at the same time", async () => {
    //          ┌─> a ─┐
    //  start ──┼─> b ─┼──> join ──> out
    //          └─> c ─┘
    const g = graph()
      .start("start")
      .agent("a")
      .agent("b")
      .agent("c")
      .agent("join", "{{nodes.a.output.text}}{{nodes.b.output.text}}")
      .output("out")
      .edge("start", "a")
      .edge("start", "b")
      .edge("start", "c")
      .edge("a", "join")
      .edge("b", "join")
      .edge("c", "join")
      .chain("join", "out")
      .build();
    const fake = memoryPorts({ delayMs: 20 });
    expect((await runWorkflow(spec(g), fake.ports, never)).status).toBe("completed");
    expect(fake.maxConcurrentModelCalls()).toBe(3); // a, b and c at once; join after all three
    expect(fake.modelCalls.at(-1)?.instructions).toBe("echo: Do the workecho: Do the work");
  });

  it("takes one branch of a condition, skips the other, and still runs the join", async () => {
    //                ┌(yes)─> big ───┐
    //  start ─> check┤               ├─> out
    //                └(else)─> small ┘
    const g = graph()
      .start("start", { fields: [{ name: "n", type: "number", required: true, description: "" }] })
      .condition("check", [{ id: "yes", expression: "nodes.start.output.n > 10" }])
      .agent("big", "big")
      .agent("small", "small")
      .output("out", "done")
      .edge("start", "check")
      .edge("check", "big", "yes")
      .edge("check", "small", "else")
      .edge("big", "out")
      .edge("small", "out")
      .build();
    const { ports, store, modelCalls } = memoryPorts();
    expect(await runWorkflow(spec(g, { n: 3 }), ports, never)).toEqual({ status: "completed", output: "done" });
    expect(modelCalls.map((c) => c.instructions)).toEqual(["small"]);
    expect(store.eventTypes("r1")).toContain("step.skipped:big");
  });

  it("pauses at a human review as a value, and resumes exactly once with the decision", async () => {
    //  start ─> draft ─> approve ─(approved)─> ok
    //                            └(rejected)─> no
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
      .output("no", "rejected")
      .chain("start", "draft", "approve")
      .edge("approve", "ok", "approved")
      .edge("approve", "no", "rejected")
      .build();
    const fake = memoryPorts();
    expect(await runWorkflow(spec(g), fake.ports, never)).toEqual({ status: "waiting", waitingOn: ["approve"] });
    expect(fake.reviews.get("review_1")?.request.content).toBe("echo: write");
    // Resuming before a decision keeps waiting, and files no second review.
    expect((await runWorkflow(spec(g), fake.ports, never)).status).toBe("waiting");
    expect(fake.reviews.size).toBe(1);

    fake.decide("review_1", { outcome: "approved", content: "edited by a person", comment: "", reviewer: "rita" });
    expect(await runWorkflow(spec(g), fake.ports, never)).toEqual({
      status: "completed",
      output: "edited by a person",
    });
    expect(fake.modelCalls).toHaveLength(1); // the draft was not written twice
    expect(fake.store.eventTypes("r1")).toContain("step.skipped:no");
  });

  it("a tool that needs approval waits for a person; approval calls it with the edited arguments, a rejection fails with the reason", async () => {
    //  start ─> wipe (tool, needs approval) ─> out
    const g = graph()
      .start("start")
      .node("tool", "wipe", {
        tool: "files__delete",
        arguments: [{ name: "path", value: "/tmp/{{nodes.start.output.input}}" }],
      })
      .output("out", "{{nodes.wipe.output.text}}")
      .chain("start", "wipe", "out")
      .build();
    const calls: unknown[] = [];
    const fake = memoryPorts({
      approvalTools: ["files__delete"],
      tool: (_t, args) => (calls.push(args), { deleted: args.path }),
    });
    expect(await runWorkflow(spec(g), fake.ports, never)).toEqual({ status: "waiting", waitingOn: ["wipe"] });
    expect(calls).toHaveLength(0); // nothing called before a person approves
    expect(JSON.parse(fake.reviews.get("review_1")!.request.content as string)).toEqual({ path: "/tmp/cats" });
    fake.decide("review_1", {
      outcome: "approved",
      content: '{"path": "/tmp/cats-only"}',
      comment: "",
      reviewer: "rita",
    });
    expect(await runWorkflow(spec(g), fake.ports, never)).toMatchObject({ status: "completed" });
    expect(calls).toEqual([{ path: "/tmp/cats-only" }]);

    const rejected = memoryPorts({ approvalTools: ["files__delete"] });
    const other = { ...spec(g), runId: "r2" };
    await runWorkflow(other, rejected.ports, never);
    rejected.decide("review_1", { outcome: "rejected", content: null, comment: "not on a Friday", reviewer: "rita" });
    expect(await runWorkflow(other, rejected.ports, never)).toMatchObject({
      status: "failed",
      error: "wipe failed: rita did not approve the call of files__delete: not on a Friday",
    });
  });

  it("never runs a finished step again when a crashed run is resumed", async () => {
    //  start ──> a ──> b ──> out        (the process died while b was running)
    const g = graph().start("start").agent("a").agent("b").output("out").chain("start", "a", "b", "out").build();
    const fake = memoryPorts();
    await fake.store.save("r1", {
      steps: [
        {
          nodeId: "start",
          kind: "start",
          attempt: 1,
          status: "done",
          output: { input: "cats" },
          handle: null,
          startedAt: 1,
        },
      ],
    });
    await fake.store.save("r1", {
      steps: [
        {
          nodeId: "a",
          kind: "agent",
          attempt: 1,
          status: "done",
          output: { text: "A" },
          handle: null,
          startedAt: 2,
        },
      ],
    });
    await fake.store.save("r1", {
      steps: [{ nodeId: "b", kind: "agent", attempt: 1, status: "running", startedAt: 3 }],
    });
    expect((await runWorkflow(spec(g), fake.ports, never)).status).toBe("completed");
    expect(fake.modelCalls.map((c) => c.context.nodeId)).toEqual(["b"]);
    expect((await fake.store.steps("r1")).find((s) => s.nodeId === "b" && s.status === "done")?.attempt).toBe(2);
    // The attempt the dead process left "running" is marked as cut off, not left running forever.
    expect((await fake.store.steps("r1")).filter((s) => s.nodeId === "b").map((s) => [s.attempt, s.status])).toEqual([
      [1, "interrupted"],
      [2, "done"],
    ]);
  });

  it("fails the run with the step's message, not the process", async () => {
    //  start ──> a ──> out     (a refers to a field the start node does not have)
    const g = graph()
      .start("start")
      .agent("a", "{{nodes.start.output.nothing}}")
      .output("out")
      .chain("start", "a", "out")
      .build();
    const { ports } = memoryPorts();
    expect(await runWorkflow(spec(g), ports, never)).toEqual({
      status: "failed",
      nodeId: "a",
      error: "a failed: {{nodes.start.output.nothing}}: the output of “start” has no field “nothing”.",
    });
  });

  it("refuses a run whose input misses a required field, naming it", async () => {
    const g = graph().start("start").output("out").chain("start", "out").build();
    const { ports } = memoryPorts();
    expect(await runWorkflow(spec(g, {}), ports, never)).toMatchObject({
      status: "failed",
      error: "start failed: The run needs the input “input”.",
    });
  });

  it("cancels running model calls through the signal", async () => {
    const g = graph().start("start").agent("slow").output("out").chain("start", "slow", "out").build();
    const { ports } = memoryPorts({ delayMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    // Would take 5 s if the signal did not reach the model call.
    expect(await runWorkflow(spec(g), ports, controller.signal)).toEqual({ status: "cancelled" });
  });

  it("fails the run when its deadline passes, saying so on the step and the run", async () => {
    const g = graph().start("start").agent("slow").output("out").chain("start", "slow", "out").build();
    const { ports, store } = memoryPorts({ delayMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new RunStop("The run passed its deadline of 1 s.", "deadline")), 50);
    expect(await runWorkflow(spec(g), ports, controller.signal)).toEqual({
      status: "failed",
      error: "The run passed its deadline of 1 s.",
    });
    const slow = (await store.steps("r1")).find((s) => s.nodeId === "slow");
    expect(slow).toMatchObject({ status: "failed", error: "The run passed its deadline of 1 s." });
    expect(store.eventTypes("r1").at(-1)).toBe("run.failed");
  });

  it("lets go of a run without recording anything when its worker is interrupted, and another call finishes it", async () => {
    const g = graph()
      .start("start")
      .agent("slow")
      .output("out", "{{nodes.slow.output.text}}")
      .chain("start", "slow", "out")
      .build();
    const slowPorts = memoryPorts({ delayMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new RunStop("Worker shutting down", "interrupted")), 50);
    expect(await runWorkflow(spec(g), slowPorts.ports, controller.signal)).toEqual({ status: "interrupted" });
    const steps = await slowPorts.store.steps("r1");
    expect(steps.find((s) => s.nodeId === "slow")?.status).toBe("running"); // left for the next worker
    expect(slowPorts.store.eventTypes("r1")).not.toContain("run.cancelled");
    // The next worker (same store, fast model) runs the unfinished step again and completes.
    const next = memoryPorts();
    const ports = { ...next.ports, store: slowPorts.store };
    expect(await runWorkflow(spec(g), ports, never)).toEqual({ status: "completed", output: "echo: Do the work" });
    expect(next.modelCalls).toHaveLength(1);
  });
});

describe("sub-workflow steps", () => {
  //  start ──> delegate (child run) ──> out
  const g = () =>
    graph()
      .start("start")
      .node("sub-workflow", "delegate", {
        workflowId: "wf_child",
        inputs: [{ name: "task", value: "{{nodes.start.output.input}}" }],
      })
      .output("out", "{{nodes.delegate.output.output}}")
      .chain("start", "delegate", "out")
      .build();

  it("runs the child and takes its output", async () => {
    const calls: unknown[] = [];
    const { ports } = memoryPorts({
      subWorkflows: {
        run: async (r) => (
          calls.push(r.input),
          { status: "completed", output: `child did ${r.input.task}`, runId: "child1" }
        ),
        result: async () => ({ status: "failed", error: "unused", runId: "child1" }),
      },
    });
    expect(await runWorkflow(spec(g()), ports, never)).toEqual({ status: "completed", output: "child did cats" });
    expect(calls).toEqual([{ task: "cats" }]);
  });

  it("pauses while the child waits, and finishes once the child has", async () => {
    let childDone = false;
    let started = 0;
    const { ports } = memoryPorts({
      subWorkflows: {
        run: async () => (started++, { status: "waiting", runId: "child1" }),
        result: async (id) =>
          childDone ? { status: "completed", output: "approved text", runId: id } : { status: "waiting", runId: id },
      },
    });
    expect(await runWorkflow(spec(g()), ports, never)).toEqual({ status: "waiting", waitingOn: ["delegate"] });
    expect((await runWorkflow(spec(g()), ports, never)).status).toBe("waiting");
    childDone = true;
    expect(await runWorkflow(spec(g()), ports, never)).toEqual({ status: "completed", output: "approved text" });
    expect(started).toBe(1); // the child was started once
  });

  it("fails the step with the child's error", async () => {
    const { ports } = memoryPorts({
      subWorkflows: {
        run: async () => ({ status: "failed", error: "no model", runId: "c" }),
        result: async () => ({ status: "failed", error: "x", runId: "c" }),
      },
    });
    expect(await runWorkflow(spec(g()), ports, never)).toMatchObject({
      status: "failed",
      error: "delegate failed: The sub-workflow run failed: no model",
    });
  });
});

describe("when a step fails", () => {
  it("retries with backoff, recording every attempt, and goes on when one succeeds", async () => {
    //  start ──> flaky (2 retries) ──> out
    const g = graph()
      .start("start")
      .agent("flaky")
      .output("out", "{{nodes.flaky.output.text}}")
      .chain("start", "flaky", "out")
      .build();
    g.nodes[1]!.settings = { retries: 2 };
    let calls = 0;
    const fake = memoryPorts({
      answer: () => {
        calls += 1;
        if (calls < 3) throw new Error(`provider said 500 (call ${calls})`);
        return "third time lucky";
      },
    });
    expect(await runWorkflow(spec(g), fake.ports, never)).toEqual({ status: "completed", output: "third time lucky" });
    const attempts = (await fake.store.steps("r1"))
      .filter((s) => s.nodeId === "flaky")
      .map((s) => [s.attempt, s.status, s.error]);
    expect(attempts).toEqual([
      [1, "failed", "provider said 500 (call 1)"],
      [2, "failed", "provider said 500 (call 2)"],
      [3, "done", undefined],
    ]);
  });

  it("gives up after its timeout, and the run fails with that message", async () => {
    const g = graph().start("start").agent("slow").output("out").chain("start", "slow", "out").build();
    g.nodes[1]!.settings = { timeoutSeconds: 1 };
    const { ports } = memoryPorts({ delayMs: 10_000 });
    expect(await runWorkflow(spec(g), ports, never)).toMatchObject({
      status: "failed",
      error: "slow failed: Timed out after 1 s",
    });
  });

  it("continues along its error branch when told to, with the error as its output", async () => {
    //  start ──> risky ──(next)──> ok
    //                  └─(error)─> handle ──> out
    const g = graph()
      .start("start")
      .agent("risky")
      .output("ok", "fine")
      .agent("handle", "Apologise for: {{nodes.risky.output.error}}")
      .output("out", "{{nodes.handle.output.text}}")
      .edge("start", "risky")
      .edge("risky", "ok")
      .edge("risky", "handle", "error")
      .chain("handle", "out")
      .build();
    g.nodes[1]!.settings = { onError: "branch" };
    const fake = memoryPorts({
      answer: (r) =>
        r.context.nodeId === "risky" ? Promise.reject(new Error("quota exceeded")) : `echo: ${r.instructions}`,
    });
    expect(await runWorkflow(spec(g), fake.ports, never)).toEqual({
      status: "completed",
      output: "echo: Apologise for: quota exceeded",
    });
    expect(fake.store.eventTypes("r1")).toContain("step.skipped:ok");
  });
});
