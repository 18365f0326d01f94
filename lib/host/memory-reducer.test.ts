import { afterEach, expect, it } from "vitest";
import { startMemoryReducer } from "./memory-reducer";

/**
 * What a burst of work leaves in the old generation stays there while the process is quiet,
 * unless the reducer collects it: here a burst's garbage (about 100 MB that survived into the old
 * generation) is given back once the event loop goes quiet, and not while it is busy.
 */
let stop: (() => Promise<void>) | undefined;
afterEach(() => stop?.());

/** Quick looks for a test: every 100 ms, two quiet in a row, no gap, 32 MB of growth. */
const quick = { everyMs: 100, quietLooks: 2, minGapMs: 0, growthBytes: 32 * 1024 * 1024 };

const mb = () => process.memoryUsage().heapUsed / 1048576;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** About 100 MB of objects held long enough to be promoted, then let go. */
async function burst(): Promise<void> {
  let kept: number[][] | null = [];
  for (let i = 0; i < 100; i += 1) {
    kept.push(Array.from({ length: 128 * 1024 }, (_, j) => j + i));
    if (i % 10 === 0) await sleep(1);
  }
  expect(kept.length).toBe(100);
  kept = null;
}

it("collects what a burst left once the process is quiet", async () => {
  stop = startMemoryReducer({ ...quick, everyMs: 200 });
  await sleep(500); // its first look: nothing grew
  const before = mb();
  await burst();
  const grown = mb();
  expect(grown - before).toBeGreaterThan(50);
  // Quiet: within a few looks, the heap is back near where it was.
  for (let i = 0; i < 20 && mb() - before > 30; i += 1) await sleep(200);
  expect(mb() - before).toBeLessThan(30);
});

it("does nothing while the event loop is busy", async () => {
  stop = startMemoryReducer({ ...quick, quietBelow: 0.05 });
  const before = mb();
  await burst();
  // Busy: the loop spins for 600 ms in slices, so each look sees it busy.
  const until = performance.now() + 600;
  while (performance.now() < until) {
    const spin = performance.now() + 40;
    while (performance.now() < spin);
    await sleep(1);
  }
  // Still there after six looks: collecting is for quiet times.
  expect(mb() - before).toBeGreaterThan(50);
});

it("does nothing while runs are held, however quiet the event loop", async () => {
  stop = startMemoryReducer({ ...quick, busy: () => true });
  const before = mb();
  await burst();
  await sleep(800); // eight quiet looks
  expect(mb() - before).toBeGreaterThan(50);
});
