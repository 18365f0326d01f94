import { monitorEventLoopDelay } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { dataReadBy, EXPRESSION_LIMITS, evaluateExpression, expressionData } from "./evaluate-expression";

/** JSONata within limits (issue #15, item 3): each limit stops the expression and names itself. */
describe("evaluateExpression", () => {
  it("evaluates ordinary expressions as JSONata does", async () => {
    const data = { nodes: { a: { output: { score: 7, tags: ["x", "y", "x"] } } }, input: {} };
    expect(await evaluateExpression("nodes.a.output.score > 5", data)).toBe(true);
    expect(await evaluateExpression("$pad('ab', 4, '-')", data)).toBe("ab--");
    expect(await evaluateExpression("$pad('ab', -4)", data)).toBe("  ab");
    expect(await evaluateExpression("$distinct(nodes.a.output.tags)", data)).toEqual(["x", "y"]);
    expect(await evaluateExpression("$sum([1..5000].($ * 2))", data)).toBe(25_005_000);
  });

  it("stops the expression that froze the server, before it allocates, naming the size limit", async () => {
    const started = performance.now();
    await expect(evaluateExpression("$sum([1..3000000].($ * 2)) > 0", {})).rejects.toThrow(
      "the expression makes a list longer than the size limit of 10,000 items",
    );
    expect(performance.now() - started).toBeLessThan(500);
  });

  /** The longest the event loop was held while `work` ran, in ms. */
  async function longestBlock(work: () => Promise<unknown>): Promise<number> {
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    // The histogram measures from its first tick: a stall before it would go unseen.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await work().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    delay.disable();
    return delay.max / 1e6;
  }
  const slow = "$sum([1..9999].($sum([1..9999].($ * 2))))";

  it("stops long work at the time limit and keeps the event loop turning meanwhile", async () => {
    const started = performance.now();
    await expect(evaluateExpression(slow, {})).rejects.toThrow(
      "the expression ran longer than the time limit of 1,000 ms",
    );
    const took = performance.now() - started;
    expect(took).toBeGreaterThan(900);
    expect(took).toBeLessThan(10_000); // unlimited, it would run for minutes
    expect(await longestBlock(() => evaluateExpression(slow, {}))).toBeLessThan(100);
    // The same work without yielding holds the loop for its whole second: the probe sees it.
    const unyielding = { ...EXPRESSION_LIMITS, sliceMs: Number.POSITIVE_INFINITY };
    expect(await longestBlock(() => evaluateExpression(slow, {}, unyielding))).toBeGreaterThan(500);
  });

  it("stops deep recursion at the depth limit", async () => {
    await expect(
      evaluateExpression("($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))", {}),
    ).rejects.toThrow("the expression nests deeper than the depth limit of 200");
  });

  it("stops texts past the size limit, built step by step or by $pad at once", async () => {
    await expect(evaluateExpression(`$reduce([1..25], function($acc, $i) { $acc & $acc }, "x")`, {})).rejects.toThrow(
      "the expression makes a text longer than the size limit of 1,000,000 characters",
    );
    const started = performance.now();
    await expect(evaluateExpression("$length($pad('', 100000000))", {})).rejects.toThrow(
      "size limit of 1,000,000 characters",
    );
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("refuses $distinct over more items than it can compare in one step", async () => {
    await expect(evaluateExpression("$distinct([1..5000])", {})).rejects.toThrow("$distinct takes at most 2,000 items");
  });
});

describe("what a mapping or Code reads, as its step's input", () => {
  const data = expressionData({ fetch: { body: [1] }, other: "x", loop_1: { item: 3 } }, { q: 1 });
  it("is the steps it names and the run's input if it names it", () => {
    expect(dataReadBy("nodes.fetch.output.body", data)).toEqual({ nodes: { fetch: { output: { body: [1] } } } });
    expect(dataReadBy('return nodes["loop_1"].output.item + input.q', data)).toEqual({
      nodes: { loop_1: { output: { item: 3 } } },
      input: { q: 1 },
    });
    expect(dataReadBy("nodes.`other`.output", data)).toEqual({ nodes: { other: { output: "x" } } });
    expect(dataReadBy("nodes.fetch2.output", data)).toEqual({});
    // Steps reached otherwise are not listed (never every output of the run).
    expect(dataReadBy("return Object.keys(nodes) // all nodes", data)).toEqual({});
  });
});
