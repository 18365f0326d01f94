import { describe, expect, it } from "vitest";
import { graph } from "../graph/graph-builder.test-support";
import { validateGraph } from "../graph/validate-graph";
import type { ChildRunResult, SubWorkflowRunner } from "../ports";
import { RunStop } from "../ports";
import { runWorkflow } from "../run/run-workflow";
import { memoryPorts } from "../testing/memory-ports";

const never = new AbortController().signal;

/**
 * Child runs as the real runner keeps them: one per (step, item), ever; asked again, it answers
 * the child's state. `behave(item)` decides each new child: done with a value after a delay,
 * failed, or waiting (for a review) until `finish` is called.
 */
function children(
  behave: (item: unknown, index: number) => { wait?: true; fail?: string; delayMs?: number; value?: unknown },
) {
  const byItem = new Map<number, ChildRunResult>();
  const started: number[] = [];
  let running = 0;
  let maxRunning = 0;
  const runner: SubWorkflowRunner = {
    async run({ input, item }) {
      const index = item!;
      const known = byItem.get(index);
      if (known) return known;
      started.push(index);
      const how = behave(input.item, index);
      maxRunning = Math.max(maxRunning, ++running);
      await new Promise((r) => setTimeout(r, how.delayMs ?? 1));
      running -= 1;
      const runId = `child_${index}`;
      const state: ChildRunResult = how.wait
        ? { status: "waiting", runId }
        : how.fail
          ? { status: "failed", error: how.fail, runId }
          : {
              status: "completed",
              output: how.value ?? { doubled: (input.item as number) * 2, index },
              runId,
            };
      byItem.set(index, state);
      return state;
    },
    async result(runId) {
      return byItem.get(Number(runId.slice(6)))!;
    },
  };
  return {
    runner,
    started,
    maxRunning: () => maxRunning,
    finish(index: number, output: unknown) {
      byItem.set(index, { status: "completed", output, runId: `child_${index}` });
    },
  };
}

function loopGraph(config: Record<string, unknown>) {
  //  start ──> each (loop) ──> out
  return graph()
    .start("start", { fields: [{ name: "list", type: "json", required: true }] })
    .node("loop", "each", {
      items: "{{nodes.start.output.list}}",
      workflowId: "wf_body",
      itemInput: "item",
      inputs: [],
      ...config,
    })
    .output("out", "{{nodes.each.output.results}}")
    .chain("start", "each", "out")
    .build();
}

const run = (g: ReturnType<typeof loopGraph>, list: unknown, runner: SubWorkflowRunner, signal = never) => {
  const fake = memoryPorts({ subWorkflows: runner });
  return { fake, result: runWorkflow({ runId: "r1", graph: g, input: { list }, depth: 0 }, fake.ports, signal) };
};

describe("loop steps", () => {
  it("run the body for each item, so many at once, and collect results in the list's order", async () => {
    const kids = children((_, i) => ({ delayMs: (7 - i) * 3 })); // later items finish first
    const { result, fake } = run(loopGraph({ concurrency: 3 }), [1, 2, 3, 4, 5, 6], kids.runner);
    expect(await result).toEqual({
      status: "completed",
      output: [1, 2, 3, 4, 5, 6].map((n, index) => ({ doubled: n * 2, index })),
    });
    expect(kids.maxRunning()).toBe(3);
    expect([...kids.started].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const step = (await fake.store.steps("r1")).find((s) => s.nodeId === "each")!;
    expect(step.output).toMatchObject({
      count: 6,
      failures: [],
      runs: ["child_0", "child_1", "child_2", "child_3", "child_4", "child_5"],
    });
    // Its input is the list it went through, beside each item's run.
    expect(step.input).toMatchObject({ items: [1, 2, 3, 4, 5, 6], count: 6 });
  });

  it("stop at a failed item (starting no more), or skip it, or collect its error, as the step says", async () => {
    const failing = () => children((item) => (item === 2 ? { fail: "no such invoice" } : {}));
    let kids = failing();
    expect(
      await run(loopGraph({ concurrency: 1, onItemFailure: "stop" }), [1, 2, 3], kids.runner).result,
    ).toMatchObject({
      status: "failed",
      error: expect.stringContaining("Item 2 of 3 failed: no such invoice"),
    });
    expect(kids.started).toEqual([0, 1]);
    kids = failing();
    expect(await run(loopGraph({ onItemFailure: "skip" }), [1, 2, 3], kids.runner).result).toEqual({
      status: "completed",
      output: [{ doubled: 2, index: 0 }, null, { doubled: 6, index: 2 }],
    });
    kids = failing();
    expect(await run(loopGraph({ onItemFailure: "collect" }), [1, 2, 3], kids.runner).result).toEqual({
      status: "completed",
      output: [{ doubled: 2, index: 0 }, { error: "no such invoice" }, { doubled: 6, index: 2 }],
    });
  });

  it("fail clearly on a list that is not one, or longer than the step allows, running nothing", async () => {
    const kids = children(() => ({}));
    expect(await run(loopGraph({}), { not: "a list" }, kids.runner).result).toMatchObject({
      status: "failed",
      error: expect.stringContaining("List to go through: expected a list, got an object."),
    });
    expect(await run(loopGraph({ maxItems: 2 }), [1, 2, 3], kids.runner).result).toMatchObject({
      status: "failed",
      error: expect.stringContaining("3 items, more than the most of 2 this step allows"),
    });
    expect(kids.started).toEqual([]);
  });

  it("wait while items wait for their reviews, and on each visit run only what never ran", async () => {
    const kids = children((item) => (item === 2 || item === 4 ? { wait: true } : {}));
    const g = loopGraph({ concurrency: 2 });
    const first = run(g, [1, 2, 3, 4], kids.runner);
    expect(await first.result).toEqual({ status: "waiting", waitingOn: [expect.any(String)] });
    expect([...kids.started].sort()).toEqual([0, 1, 2, 3]); // items waiting held no place
    // One review decided: the run looks again and still waits for the other.
    kids.finish(1, "second, reviewed");
    const ports = { ...first.fake.ports };
    expect(
      await runWorkflow({ runId: "r1", graph: g, input: { list: [1, 2, 3, 4] }, depth: 0 }, ports, never),
    ).toMatchObject({
      status: "waiting",
    });
    kids.finish(3, "fourth, reviewed");
    expect(await runWorkflow({ runId: "r1", graph: g, input: { list: [1, 2, 3, 4] }, depth: 0 }, ports, never)).toEqual(
      {
        status: "completed",
        output: [{ doubled: 2, index: 0 }, "second, reviewed", { doubled: 6, index: 2 }, "fourth, reviewed"],
      },
    );
    expect(kids.started).toHaveLength(4); // nothing ran twice
  });

  it("after its worker stopped mid-loop, runs only the items that never finished", async () => {
    const stop = new AbortController();
    const kids = children((_, i) => {
      if (i === 2) setTimeout(() => stop.abort(new RunStop("worker stopping", "interrupted")), 0);
      return { delayMs: 5 };
    });
    const g = loopGraph({ concurrency: 1 });
    const first = run(g, [1, 2, 3, 4, 5], kids.runner, stop.signal);
    expect(await first.result).toEqual({ status: "interrupted" });
    const before = kids.started.length;
    expect(before).toBeLessThan(5);
    expect(
      await runWorkflow({ runId: "r1", graph: g, input: { list: [1, 2, 3, 4, 5] }, depth: 0 }, first.fake.ports, never),
    ).toMatchObject({
      status: "completed",
    });
    expect([...kids.started].sort()).toEqual([0, 1, 2, 3, 4]); // each item once, across both workers
  });
});

describe("a Loop with its steps drawn inside it", () => {
  /**
   *  start ──> each (loop) ──> out
   *            ┌ inside each ───────────────────────┐
   *            │ double (transform) ──> result (out) │
   *            └─────────────────────────────────────┘
   */
  function inlineGraph(extra: { inside?: (g: ReturnType<typeof graph>) => void } = {}) {
    const g = graph()
      .start("start", { fields: [{ name: "list", type: "json", required: true }] })
      .node("loop", "each", {
        items: "{{nodes.start.output.list}}",
        workflowId: "",
        itemInput: "item",
        inputs: [{ name: "factor", value: "3" }],
        concurrency: 2,
        onItemFailure: "stop",
        maxItems: 100,
      })
      .output("out", "{{nodes.each.output.results}}")
      .transform("double", "nodes.each.output.item * $number(nodes.each.output.factor) + nodes.each.output.index")
      .output("result", "{{nodes.double.output}}")
      .chain("start", "each", "out")
      .edge("double", "result");
    extra.inside?.(g);
    const built = g.build();
    for (const n of built.nodes) if (n.id === "double" || n.id === "result") n.parentId = "each";
    return built;
  }

  /** A runner that runs each item's body for real, with the engine, on in-memory ports. */
  function bodyRunner() {
    const bodies: unknown[] = [];
    const runner: SubWorkflowRunner = {
      async run({ body, input, item, depth }) {
        bodies.push(body);
        const ports = memoryPorts().ports;
        const outcome = await runWorkflow({ runId: `child_${item}`, graph: body!, input, depth }, ports, never);
        return outcome.status === "completed"
          ? { status: "completed", output: outcome.output, runId: `child_${item}` }
          : { status: "failed", error: JSON.stringify(outcome), runId: `child_${item}` };
      },
      async result() {
        throw new Error("not asked in this test");
      },
    };
    return { runner, bodies };
  }

  it("runs the steps inside for each item, which read the item, its index and the Loop's other inputs; the run never runs them itself", async () => {
    const g = inlineGraph();
    expect(validateGraph(g)).toEqual([]);
    const { runner, bodies } = bodyRunner();
    const fake = memoryPorts({ subWorkflows: runner });
    expect(
      await runWorkflow({ runId: "r1", graph: g, input: { list: [1, 2, 3] }, depth: 0 }, fake.ports, never),
    ).toEqual({ status: "completed", output: [3, 7, 11] });
    expect((await fake.store.steps("r1")).map((s) => s.nodeId).sort()).toEqual(["each", "out", "start"]);
    // Each item's graph: a Start named after the loop, wired to the first step inside.
    expect(bodies[0]).toMatchObject({
      nodes: [{ id: "each", kind: "start" }, { id: "double" }, { id: "result" }],
      edges: [
        { source: "each", target: "double" },
        { source: "double", target: "result" },
      ],
    });
  });

  it("names what is wrong with a body: no Output inside, a connection across the loop's edge, a reference to a step outside", () => {
    const crossing = inlineGraph();
    crossing.edges.push({ id: "x", source: "start", target: "double" });
    expect(validateGraph(crossing).map((p) => p.message)).toContainEqual(
      expect.stringContaining("crosses the edge of a loop"),
    );
    const noOutput = inlineGraph();
    noOutput.nodes = noOutput.nodes.filter((n) => n.id !== "result");
    noOutput.edges = noOutput.edges.filter((e) => e.target !== "result");
    expect(validateGraph(noOutput).map((p) => p.message)).toContainEqual(
      "each: add an Output step inside the loop; it names each item's result.",
    );
    const outside = inlineGraph();
    outside.nodes.find((n) => n.id === "result")!.config = { value: "{{nodes.start.output.list}}" };
    expect(validateGraph(outside).map((p) => p.message)).toContainEqual(
      expect.stringContaining("on the other side of a loop's edge"),
    );
    const neither = loopGraph({ workflowId: "" });
    expect(validateGraph(neither).map((p) => p.message)).toContainEqual(
      "each: draw the steps to repeat inside the loop, or pick a published workflow to run for each item.",
    );
  });
});
