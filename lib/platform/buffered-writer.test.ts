import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * A buffered writer whose database refuses a batch: the batch is kept and written on a later
 * flush, once, in order (the usage ledger and tool audit used to throw such a batch away).
 */
let bufferedWriter: typeof import("./buffered-writer").bufferedWriter;
let flushWriters: typeof import("./buffered-writer").flushWriters;
const level = process.env.LOG_LEVEL;

beforeAll(async () => {
  process.env.LOG_LEVEL = "silent";
  ({ bufferedWriter, flushWriters } = await import("./buffered-writer"));
});
afterAll(() => {
  process.env.LOG_LEVEL = level;
});

describe("buffered writer", () => {
  it("keeps a batch the database refused and writes it, once and in order, when it is back", async () => {
    const written: number[] = [];
    let down = true;
    const writer = bufferedWriter<number>({
      name: "test-refused",
      delayMs: 60_000,
      write: async (batch) => {
        if (down) throw new Error("terminating connection due to administrator command");
        written.push(...batch);
      },
    });
    for (const n of [1, 2, 3]) writer.add(n);
    await writer.flush();
    expect(written).toEqual([]);
    writer.add(4);
    down = false;
    await flushWriters();
    expect(written).toEqual([1, 2, 3, 4]);
    await writer.flush();
    expect(written).toEqual([1, 2, 3, 4]);
  });

  it("hands each row's id to every attempt at writing it, so a write whose answer was lost can skip it", async () => {
    const attempts: { batch: string[]; ids: string[] }[] = [];
    const writer = bufferedWriter<string>({
      name: "test-ids",
      delayMs: 60_000,
      write: async (batch, ids) => {
        attempts.push({ batch, ids });
        // The first attempt committed, but its answer was lost with the connection.
        if (attempts.length === 1) throw new Error("Connection terminated unexpectedly");
      },
    });
    writer.add("a");
    writer.add("b");
    await writer.flush();
    await writer.flush();
    expect(attempts.map((a) => a.batch)).toEqual([
      ["a", "b"],
      ["a", "b"],
    ]);
    const [first, again] = attempts;
    expect(again!.ids).toEqual(first!.ids);
    expect(new Set(first!.ids).size).toBe(2);
  });

  it("tries a refused batch again by itself", async () => {
    const written: string[] = [];
    let failures = 1;
    const writer = bufferedWriter<string>({
      name: "test-retry",
      delayMs: 5,
      write: async (batch) => {
        if (failures-- > 0) throw new Error("connection lost");
        written.push(...batch);
      },
    });
    writer.add("a");
    await expect.poll(() => written, { timeout: 5_000, interval: 50 }).toEqual(["a"]);
  });

  it("writes a steady stream of rows in one batch per delay, not one write after another", async () => {
    const batches: number[][] = [];
    const writer = bufferedWriter<number>({
      name: "test-steady",
      delayMs: 200,
      // Each write takes a while, as a transaction does; rows keep coming meanwhile.
      write: async (batch) => {
        batches.push(batch);
        await new Promise((r) => setTimeout(r, 10));
      },
    });
    const started = performance.now();
    for (let n = 0; n < 100; n += 1) {
      writer.add(n);
      await new Promise((r) => setTimeout(r, 5));
    }
    const elapsed = performance.now() - started;
    await writer.flush();
    expect(batches.flat()).toEqual(Array.from({ length: 100 }, (_, n) => n));
    // One write per 200 ms of rows, plus the last flush (nonstop writing made one per 10 ms write).
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(elapsed / 200) + 1);
    expect(batches.length).toBeLessThan(20);
  });

  it("drops only the rows the database refuses for their data, and writes the rest", async () => {
    const written: string[] = [];
    const refused = Object.assign(new Error("unsupported Unicode escape sequence"), { code: "22P05" });
    const writer = bufferedWriter<string>({
      name: "test-bad-row",
      delayMs: 60_000,
      write: async (batch) => {
        if (batch.includes("bad")) throw refused;
        written.push(...batch);
      },
    });
    for (const r of ["a", "bad", "c"]) writer.add(r);
    await writer.flush();
    writer.add("d");
    await writer.flush();
    expect(written).toEqual(["a", "c", "d"]);
  });

  it("replaces NUL characters, which PostgreSQL cannot store, before buffering a row", async () => {
    const written: unknown[] = [];
    const writer = bufferedWriter<{ error: string; at: Date; args: { k: string[] } }>({
      name: "test-nul",
      delayMs: 60_000,
      write: async (b) => void written.push(...b),
    });
    const at = new Date(0);
    writer.add({ error: "a\u0000b", at, args: { k: ["x\u0000"] } });
    await writer.flush();
    expect(written).toEqual([{ error: "a\uFFFDb", at, args: { k: ["x\uFFFD"] } }]);
  });

  it("writes big buffers in batches of at most maxBatch", async () => {
    const sizes: number[] = [];
    const writer = bufferedWriter<number>({
      name: "test-batches",
      delayMs: 60_000,
      maxBatch: 10,
      write: async (batch) => void sizes.push(batch.length),
    });
    for (let i = 0; i < 25; i += 1) writer.add(i);
    await writer.flush();
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(25);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
  });
});
