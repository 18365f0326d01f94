import type { z } from "zod";
import type { loopConfigSchema } from "../../schemas/node-kinds/loop";
import type { ChildRunResult } from "../ports";
import { resolveTemplate } from "../template/resolve-template";
import { NodeError, type NodeExecutor } from "./executor";
import { MAX_DEPTH } from "./sub-workflow";
import { bodyOf, hasBody } from "../graph/loop-body";

type Config = z.output<typeof loopConfigSchema>;

/**
 * For each item of a list, runs the steps drawn inside the loop (its body, `bodyOf`: they read
 * the item as {{nodes.<loop>.output.item}}, and its index) or a published workflow (the item in
 * the Start field the step names), each item as a child run, so many at once (`concurrency`; an item waiting for a
 * review does not hold a place), and collects each item's output in the list's order.
 *
 * Each item has at most one child run, ever (the `item` of the sub-workflow port): when the
 * step is visited again (the run resumed after a crash, or a child that paused has finished),
 * it asks for every item again and gets finished items' outputs back without running them,
 * paused ones still paused, and only the items never started run now. While any item waits
 * (for a review inside it), the step waits; each child's end wakes the run to look again.
 */
export const loopExecutor: NodeExecutor<Config> = {
  async execute({ runId, node, graph, outputs, vars, depth, ports, signal }) {
    const { config } = node;
    if (depth + 1 > MAX_DEPTH)
      throw new NodeError(
        `Loops and sub-workflows nest deeper than ${MAX_DEPTH} levels; is a workflow calling itself?`,
      );
    let list: unknown;
    try {
      list = resolveTemplate(config.items, outputs, { vars });
    } catch (error) {
      throw new NodeError(`List to go through: ${(error as Error).message}`);
    }
    if (!Array.isArray(list))
      throw new NodeError(
        `List to go through: expected a list, got ${list === null ? "null" : typeof list === "object" ? "an object" : `a ${typeof list}`}.`,
      );
    if (list.length > config.maxItems)
      throw new NodeError(
        `List to go through: ${list.length.toLocaleString("en-US")} items, more than the most of ${config.maxItems.toLocaleString("en-US")} this step allows.`,
      );
    const shared = Object.fromEntries(config.inputs.map((i) => [i.name, resolveTemplate(i.value, outputs, { vars })]));
    const items = list as unknown[];
    // Steps drawn inside the loop, run as a graph of their own per item; else a published workflow.
    const body = hasBody(graph, node.id)
      ? bodyOf(
          graph,
          node,
          config.inputs.map((i) => i.name),
        )
      : undefined;
    if (!body && !config.workflowId)
      throw new NodeError(
        "Draw the steps to repeat inside the loop, or pick a published workflow to run for each item.",
      );
    const inputOf = (index: number) =>
      body ? { ...shared, item: items[index], index } : { ...shared, [config.itemInput]: items[index] };
    const states: (ChildRunResult | undefined)[] = new Array(items.length);
    let stopped = false;
    let next = 0;
    const worker = async () => {
      while (next < items.length && !stopped && !signal.aborted) {
        const index = next++;
        const child = await ports.subWorkflows.run({
          workflowId: config.workflowId,
          ...(body && { body }),
          input: inputOf(index),
          parentRunId: runId,
          nodeId: node.id,
          depth: depth + 1,
          signal,
          item: index,
        });
        states[index] = child;
        if (child.status === "failed" && config.onItemFailure === "stop") stopped = true;
      }
    };
    // One worker that throws (the database went away) stops the others starting more items.
    const guarded = () =>
      worker().catch((error: unknown) => {
        stopped = true;
        throw error;
      });
    await Promise.all(Array.from({ length: Math.min(config.concurrency, items.length) }, guarded));
    if (signal.aborted) throw signal.reason;
    // An item that paused may have finished while the others ran (its end could not wake a run
    // that was still running): look once more before waiting on it.
    for (const [index, state] of states.entries())
      if (state?.status === "waiting") states[index] = await ports.subWorkflows.result(state.runId);
    if (config.onItemFailure === "stop") {
      const index = states.findIndex((state) => state?.status === "failed");
      const failed = states[index];
      if (failed?.status === "failed")
        throw new NodeError(`Item ${index + 1} of ${items.length} failed: ${failed.error}`);
    }
    const runs = states.map((s) => s?.runId ?? null);
    const waiting = states.filter((s) => s?.status === "waiting").length;
    // Each item's run; once done, also what it went through (the list, the inputs every item
    // shares), written once rather than again each time a waiting item wakes the run.
    if (waiting)
      return {
        status: "waiting",
        waitingOn: `loop:${waiting} of ${items.length}`,
        input: { count: items.length, runs },
      };
    const input = { items, ...(config.inputs.length > 0 && { inputs: shared }), count: items.length, runs };
    const failures = states.flatMap((s, index) => (s?.status === "failed" ? [{ index, error: s.error }] : []));
    const results = states.map((s) =>
      s?.status === "completed"
        ? s.output
        : s?.status === "failed" && config.onItemFailure === "collect"
          ? { error: s.error }
          : null,
    );
    return { status: "done", input, output: { results, failures, count: items.length, runs } };
  },
};
