import path from "node:path";
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { CodeResult, CodeSandbox } from "../engine/ports";
import { processSingleton } from "../process/singleton";

/** What a Code step may ask for, and what it gets when it does not say. */
export const CODE_LIMITS = {
  timeoutMs: { default: 2_000, max: 30_000 },
  memoryMb: { default: 32, max: 256 },
  maxLogLines: 200,
  maxLogChars: 20_000,
  maxOutputChars: 1_000_000,
} as const;

/** The time the pool gives a thread past the code's own limit before terminating it. */
const HARD_WALL_GRACE_MS = 1_000;

export type CodeTask = Omit<Parameters<CodeSandbox["run"]>[0], "signal"> & { signal?: AbortSignal };

/**
 * The pool of worker threads that run code (`code-worker.mjs`), made on the first Code step so
 * a process that never runs one holds no threads; idle threads exit after a minute.
 */
function pool(): Piscina {
  return processSingleton(
    "sandbox.codePool",
    () =>
      new Piscina({
        filename: path.join(process.cwd(), "lib", "sandbox", "code-worker.mjs"),
        minThreads: 0,
        maxThreads: Math.max(1, availableParallelism()),
        idleTimeout: 60_000,
        // The code's own memory is QuickJS's, capped per task; this caps the thread around it.
        resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
      }),
  );
}

/**
 * Runs JavaScript in the sandbox: a fresh QuickJS (WebAssembly) interpreter on a worker thread,
 * with no host, network, filesystem or timers, within its time and memory limits. The event
 * loop of the caller never waits on it. The code is the body of an async function of `input`
 * and `nodes`; what it returns (as JSON) is the value. If the interpreter's own time limit ever
 * fails to stop it, the thread is terminated a second after, and when `signal` aborts, at once.
 */
export async function runCode(task: CodeTask): Promise<CodeResult> {
  const timeoutMs = Math.min(task.timeoutMs, CODE_LIMITS.timeoutMs.max);
  const memoryMb = Math.min(task.memoryMb, CODE_LIMITS.memoryMb.max);
  // The hard wall counts from when a thread starts the code (it says so through `started`),
  // never from the queue: code waiting for a free thread is not out of time.
  const started = new Int32Array(new SharedArrayBuffer(4));
  const wall = new AbortController();
  let startedAt = 0;
  const watch = setInterval(() => {
    if (!startedAt && Atomics.load(started, 0) === 1) startedAt = Date.now();
    if (startedAt && Date.now() - startedAt > timeoutMs + HARD_WALL_GRACE_MS) wall.abort(new Error("time limit"));
  }, 100);
  watch.unref();
  const signal = task.signal ? AbortSignal.any([task.signal, wall.signal]) : wall.signal;
  let data: string;
  try {
    data = JSON.stringify(task.data);
  } catch (error) {
    return { ok: false, error: `The code's input cannot be sent as JSON: ${(error as Error).message}`, logs: [] };
  }
  try {
    const result = (await pool().run(
      {
        code: task.code,
        data,
        timeoutMs,
        memoryBytes: memoryMb * 1024 * 1024,
        maxLogLines: CODE_LIMITS.maxLogLines,
        maxLogChars: CODE_LIMITS.maxLogChars,
        maxOutputChars: CODE_LIMITS.maxOutputChars,
        started,
      },
      { signal },
    )) as { ok: true; json: string; logs: string[] } | { ok: false; error: string; logs: string[] };
    return result.ok ? { ok: true, value: JSON.parse(result.json) as unknown, logs: result.logs } : result;
  } catch (error) {
    if (task.signal?.aborted) throw task.signal.reason;
    if (wall.signal.aborted)
      return { ok: false, error: `Stopped: the code ran past its time limit of ${timeoutMs / 1000} s`, logs: [] };
    // The thread itself gave out (its memory): the step fails, the pool starts a new thread.
    return { ok: false, error: `The sandbox stopped: ${(error as Error).message}`, logs: [] };
  } finally {
    clearInterval(watch);
  }
}

/** The engine's `code` port. */
export const codeSandbox: CodeSandbox = { run: runCode };
