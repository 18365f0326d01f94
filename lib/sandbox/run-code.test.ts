import { availableParallelism } from "node:os";
import { afterAll, describe, expect, it } from "vitest";
import { processSingleton } from "../process/singleton";
import { runCode } from "./run-code";

// The real sandbox: QuickJS (WebAssembly) on the pool's worker threads.
const data = { input: { items: [1, 2, 3] }, nodes: { lookup: { output: { name: "Ada" } } } };
const run = (code: string, limits: { timeoutMs?: number; memoryMb?: number; signal?: AbortSignal } = {}) =>
  runCode({ code, data, timeoutMs: 1_000, memoryMb: 16, ...limits });

afterAll(async () => {
  await (processSingleton("sandbox.codePool", () => null) as { destroy(): Promise<void> } | null)?.destroy();
});

describe("the code sandbox", () => {
  it("runs the code over input and nodes; what it returns is the value, its console lines are kept", async () => {
    expect(
      await run(
        "console.log('items', input.items.length, { first: input.items[0] });\nconsole.warn('careful');\nreturn { who: nodes.lookup.output.name, doubled: input.items.map((x) => x * 2) };",
      ),
    ).toEqual({
      ok: true,
      value: { who: "Ada", doubled: [2, 4, 6] },
      logs: ['items 3 {"first":1}', "[warn] careful"],
    });
    expect(await run("const x = await Promise.resolve(41); return x + 1")).toEqual({ ok: true, value: 42, logs: [] });
    expect(await run("// nothing returned")).toEqual({ ok: true, value: null, logs: [] });
  });

  it("has no require, process, network, timers or module loading", async () => {
    expect(
      await run(
        "return [typeof require, typeof process, typeof fetch, typeof XMLHttpRequest, typeof setTimeout, typeof WebAssembly, typeof std, typeof os]",
      ),
    ).toMatchObject({ ok: true, value: Array(8).fill("undefined") });
    expect((await run("return require('fs').readFileSync('/etc/passwd', 'utf8')")) as { error: string }).toMatchObject({
      ok: false,
      error: expect.stringMatching(/ReferenceError: .*require.* is not defined/),
    });
    expect(await run("const fs = await import('fs'); return fs.readFileSync('/etc/passwd', 'utf8')")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/fs|module/i),
    });
    // Nothing of the host leaks in through the globals either.
    expect(
      await run("return Object.getOwnPropertyNames(globalThis).filter((n) => /process|require|sink|host/i.test(n))"),
    ).toEqual({
      ok: true,
      value: [],
      logs: [],
    });
  });

  it("stops code past its time limit without holding the caller's event loop", async () => {
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 20);
    const started = performance.now();
    const result = await run("while (true) {}", { timeoutMs: 500 });
    clearInterval(ticker);
    expect(result).toEqual({ ok: false, error: "Stopped: the code ran past its time limit of 0.5 s", logs: [] });
    expect(performance.now() - started).toBeLessThan(1_400);
    expect(ticks).toBeGreaterThan(10); // the loop went on while the code spun on its thread
    // Catastrophic backtracking in a regular expression is stopped too.
    expect(await run("return /(a+)+b/.test('a'.repeat(40))", { timeoutMs: 300 })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/time limit/),
    });
  });

  it("stops code past its memory or stack limits, saying which", async () => {
    expect(await run("const a = []; for (;;) a.push({ n: a.length, s: 'x' + a.length })", { memoryMb: 8 })).toEqual({
      ok: false,
      error: "Stopped: the code used more than its memory limit of 8 MB",
      logs: [],
    });
    expect(await run("function f() { return f() } return f()")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/stack overflow/),
    });
  });

  it("names the error and the line of the code it was thrown at", async () => {
    expect(await run("const a = 1;\n\nnull.x")).toEqual({
      ok: false,
      error: expect.stringMatching(/^TypeError: cannot read property 'x' of null \(line 3\)$/),
      logs: [],
    });
    expect(await run("console.log('before');\nthrow new Error('no invoices')")).toEqual({
      ok: false,
      error: "Error: no invoices (line 2)",
      logs: ["before"],
    });
    expect(await run("return {")).toMatchObject({ ok: false, error: expect.stringMatching(/^SyntaxError/) });
    expect(await run("await new Promise(() => {})")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/never finished/),
    });
    expect(await run("return 1n")).toMatchObject({ ok: false, error: expect.stringMatching(/BigInt/) });
  });

  it("caps console output and the size of the result", async () => {
    const chatty = await run("for (let i = 0; i < 10000; i++) console.log('line', i)");
    expect(chatty).toMatchObject({ ok: true });
    expect(chatty.logs.length).toBe(201);
    expect(chatty.logs.at(-1)).toMatch(/more console output was cut/);
    expect(await run("return 'x'.repeat(2_000_000)", { memoryMb: 64 })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/more than the 1000000 allowed/),
    });
  });

  it("cuts huge text inside the sandbox, so a thread never runs out of memory copying it out", async () => {
    const big = await run("return 'x'.repeat(100_000_000)", { memoryMb: 256, timeoutMs: 10_000 });
    expect(big).toMatchObject({ ok: false, error: expect.stringMatching(/allowed|memory limit/) });
    const loud = await run("console.log('y'.repeat(50_000_000))", { memoryMb: 256, timeoutMs: 10_000 });
    expect(loud).toMatchObject({ ok: true });
    expect(loud.logs[0]!.length).toBeLessThanOrEqual(20_001);
  });

  it("counts the time limit from when the code starts, not while it waits for a free thread", async () => {
    // Three times as many tasks as threads, each busy for most of its limit: the last wave
    // starts after more than its limit and its grace have passed since it was queued.
    const busy = "const end = Date.now() + 800; while (Date.now() < end) {} return 'done'";
    const results = await Promise.all(
      Array.from({ length: 3 * Math.max(1, availableParallelism()) }, () => run(busy, { timeoutMs: 1_000 })),
    );
    expect(results.map((r) => r.ok && r.value)).toEqual(results.map(() => "done"));
  });

  it("ends at once when the run is cancelled, and the next code runs as usual", async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(new Error("cancelled")), 100);
    await expect(run("while (true) {}", { timeoutMs: 10_000, signal: controller.signal })).rejects.toThrow("cancelled");
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await run("return 'still fine'")).toEqual({ ok: true, value: "still fine", logs: [] });
  });
});
