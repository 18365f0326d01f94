import { describe, expect, it } from "vitest";
import { graph } from "../graph/graph-builder.test-support";
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
