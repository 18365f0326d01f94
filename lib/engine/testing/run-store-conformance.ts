import { describe, expect, it } from "vitest";
import type { RunStore, StepRecord } from "../ports";

/**
 * What every RunStore must do, as one suite each implementation runs (after LangGraph's
 * checkpointer conformance tests). `events` reads a run's event types in sequence order.
 */
export interface RunStoreHarness {
  store: RunStore;
  newRun(): Promise<string>;
  events(runId: string): Promise<{ seq: number; type: string; nodeId?: string | null }[]>;
}

const step = (nodeId: string, attempt: number, extra: Partial<StepRecord> = {}): StepRecord => ({
  nodeId,
  kind: "agent",
  attempt,
  status: "running",
  startedAt: 1_000 + attempt,
  ...extra,
});

export function describeRunStore(name: string, harness: () => Promise<RunStoreHarness>) {
  describe(`RunStore conformance: ${name}`, () => {
    it("has no steps for a new run", async () => {
      const h = await harness();
      expect(await h.store.steps(await h.newRun())).toEqual([]);
    });

    it("keeps one record per node attempt, updated in place, with outputs as they were", async () => {
      const h = await harness();
      const run = await h.newRun();
      await h.store.save(run, { steps: [step("a", 1)] });
      await h.store.save(run, {
        steps: [
          step("a", 1, {
            status: "done",
            output: { text: "hi", list: [1, 2] },
            handle: null,
            endedAt: 2_000,
            usage: { inputTokens: 3, outputTokens: 4, costUsd: 0.5 },
          }),
        ],
      });
      await h.store.save(run, {
        steps: [step("a", 2, { status: "waiting", waitingOn: "review_1", input: { content: "x" } })],
      });
      const steps = await h.store.steps(run);
      expect(steps).toHaveLength(2);
      expect(steps.find((s) => s.attempt === 1)).toMatchObject({
        status: "done",
        output: { text: "hi", list: [1, 2] },
        endedAt: 2_000,
        usage: { inputTokens: 3, outputTokens: 4, costUsd: 0.5 },
      });
      expect(steps.find((s) => s.attempt === 2)).toMatchObject({
        status: "waiting",
        waitingOn: "review_1",
        input: { content: "x" },
      });
    });

    it("numbers events 1, 2, 3 … in the order they are appended, even all at once", async () => {
      const h = await harness();
      const run = await h.newRun();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          h.store.save(run, { events: [{ type: "step.completed", nodeId: `n${i}`, payload: { i } }] }),
        ),
      );
      const events = await h.events(run);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(events.map((e) => e.nodeId)).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}`));
    });

    it("applies writes nobody waited for in order: when one is durable, so is every write before it", async () => {
      const h = await harness();
      const run = await h.newRun();
      const writes: Promise<void>[] = [];
      for (let i = 0; i < 10; i += 1) {
        writes.push(
          h.store.save(run, {
            steps: [step(`n${i}`, 1)],
            events: [{ type: "step.started", nodeId: `n${i}` }],
          }),
        );
        writes.push(
          h.store.save(run, {
            steps: [step(`n${i}`, 1, { status: "done", output: i, endedAt: 2_000 + i })],
            events: [{ type: "step.completed", nodeId: `n${i}` }],
          }),
        );
      }
      await h.store.save(run, {});
      const steps = await h.store.steps(run);
      expect(steps.map((s) => [s.nodeId, s.status, s.output])).toEqual(
        Array.from({ length: 10 }, (_, i) => [`n${i}`, "done", i]),
      );
      expect((await h.events(run)).map((e) => `${e.seq} ${e.type}:${e.nodeId}`)).toEqual(
        Array.from({ length: 10 }, (_, i) => [
          `${2 * i + 1} step.started:n${i}`,
          `${2 * i + 2} step.completed:n${i}`,
        ]).flat(),
      );
      await Promise.all(writes);
    });

    it("settles a run once: the end's event follows the run's events, and a second end is refused", async () => {
      const h = await harness();
      const run = await h.newRun();
      void h.store.save(run, { events: [{ type: "run.started" }] });
      expect(await h.store.settle(run, { status: "waiting", waitingOn: ["review"] })).toBe(true);
      expect(await h.store.settle(run, { status: "failed", error: "boom", nodeId: "a" })).toBe(true);
      expect(await h.store.settle(run, { status: "completed", output: 1 })).toBe(false);
      expect(await h.store.settle(run, { status: "cancelled" })).toBe(false);
      expect((await h.events(run)).map((e) => [e.seq, e.type])).toEqual([
        [1, "run.started"],
        [2, "run.waiting"],
        [3, "run.failed"],
      ]);
    });

    it("keeps runs apart", async () => {
      const h = await harness();
      const [a, b] = [await h.newRun(), await h.newRun()];
      await h.store.save(a, { steps: [step("x", 1)], events: [{ type: "run.started" }] });
      expect(await h.store.steps(b)).toEqual([]);
      expect(await h.events(b)).toEqual([]);
    });
  });
}
