// A worker thread of the code pool (lib/sandbox/run-code.ts). Each task runs a Code step's
// JavaScript in a fresh QuickJS runtime compiled to WebAssembly: the code sees only the values
// it is given and a console; there is no require, process, filesystem, network or timer, because
// the interpreter has none and we add none. Its memory and stack are capped by the runtime, and
// its time by the interrupt handler; the pool terminates this thread if that ever fails.
// Plain JavaScript, not TypeScript: Next.js's server and `npm run worker` both start it as is.
import variant from "@jitl/quickjs-wasmfile-release-sync";
import { newQuickJSWASMModuleFromVariant } from "quickjs-emscripten-core";

/** @type {Promise<import("quickjs-emscripten-core").QuickJSWASMModule> | null} */
let quickJs = null;

/** The thread's QuickJS module (loaded as the thread starts); one that failed to load is tried again by the next task. */
function quickJsModule() {
  quickJs ??= newQuickJSWASMModuleFromVariant(variant).catch((error) => {
    quickJs = null;
    throw error;
  });
  return quickJs;
}
quickJsModule().catch(() => undefined);

// The console the code sees: each call formats its arguments inside the sandbox and hands one
// line to `sink`, which is then forgotten (it is not left on globalThis).
const PRELUDE = `(function (sink, most) {
  const text = (v) => {
    if (typeof v === "string") return v;
    if (v instanceof Error) return String(v);
    try { const s = JSON.stringify(v); return s === undefined ? String(v) : s; } catch { return String(v); }
  };
  const line = (level) => (...args) => {
    const t = args.map(text).join(" ");
    sink(level, t.length > most ? t.slice(0, most) + "…" : t);
  };
  globalThis.console = Object.freeze({
    log: line("log"), info: line("info"), warn: line("warn"), error: line("error"), debug: line("debug"),
  });
})`;

/**
 * @param {{ code: string, data: string, timeoutMs: number, memoryBytes: number,
 *           maxLogLines: number, maxLogChars: number, maxOutputChars: number }} task
 * @returns {Promise<{ ok: true, json: string, logs: string[] } | { ok: false, error: string, logs: string[] }>}
 */
export default async function runCode(task) {
  const QuickJS = await quickJsModule();
  // Tells the pool the code starts now: its hard wall counts from here, not from the queue.
  if (task.started) Atomics.store(task.started, 0, 1);
  let runtime;
  try {
    runtime = QuickJS.newRuntime();
  } catch (error) {
    // An aborted module cannot make runtimes: the next task gets a new one.
    quickJs = null;
    throw error;
  }
  runtime.setMemoryLimit(task.memoryBytes);
  runtime.setMaxStackSize(512 * 1024);
  const deadline = Date.now() + task.timeoutMs;
  let timedOut = false;
  runtime.setInterruptHandler(() => (timedOut ||= Date.now() > deadline));
  const context = runtime.newContext();

  /** @type {string[]} */
  const logs = [];
  let logChars = 0;
  let logsCut = false;
  const log = (/** @type {string} */ level, /** @type {string} */ text) => {
    if (logsCut) return;
    const entry = level === "log" ? text : `[${level}] ${text}`;
    if (logs.length >= task.maxLogLines || logChars + entry.length > task.maxLogChars) {
      logsCut = true;
      logs.push(`… more console output was cut (at most ${task.maxLogLines} lines, ${task.maxLogChars} characters)`);
      return;
    }
    logChars += entry.length;
    logs.push(entry);
  };

  /** @param {import("quickjs-emscripten-core").QuickJSHandle} handle */
  const describe = (handle) => {
    if (timedOut) return `Stopped: the code ran past its time limit of ${task.timeoutMs / 1000} s`;
    const error = context.dump(handle);
    const text =
      error && typeof error === "object" && "message" in error
        ? `${error.name ?? "Error"}: ${error.message}`
        : `Uncaught: ${typeof error === "string" ? error : JSON.stringify(error)}`;
    if (/out of memory/i.test(text))
      return `Stopped: the code used more than its memory limit of ${task.memoryBytes / 1024 / 1024} MB`;
    const line = error && typeof error === "object" && typeof error.stack === "string" ? codeLine(error.stack) : null;
    return line ? `${text} (line ${line})` : text;
  };

  try {
    const sink = context.newFunction("sink", (level, text) => {
      log(context.getString(level), context.getString(text));
    });
    const prelude = context.unwrapResult(context.evalCode(PRELUDE, "prelude.js"));
    const most = context.newNumber(task.maxLogChars);
    context.unwrapResult(context.callFunction(prelude, context.undefined, sink, most)).dispose();
    most.dispose();
    prelude.dispose();
    sink.dispose();

    // The code is the body of an async function of (input, nodes); its first line is line 1.
    const compiled = context.evalCode(
      `(async function (__data) { const { input, nodes } = JSON.parse(__data); const __json = JSON.stringify(await (async (input, nodes) => {${task.code}\n})(input, nodes)) ?? "null"; if (__json.length > ${task.maxOutputChars}) throw new RangeError("The code's result is " + __json.length + " characters as JSON, more than the ${task.maxOutputChars} allowed"); return __json; })`,
      "code.js",
    );
    if (compiled.error) {
      const message = describe(compiled.error);
      compiled.error.dispose();
      return { ok: false, error: message, logs };
    }
    const data = context.newString(task.data);
    const called = context.callFunction(compiled.value, context.undefined, data);
    data.dispose();
    compiled.value.dispose();
    if (called.error) {
      const message = describe(called.error);
      called.error.dispose();
      return { ok: false, error: message, logs };
    }
    const promise = called.value;
    for (;;) {
      const state = context.getPromiseState(promise);
      if (state.type === "fulfilled") {
        const json = context.getString(state.value);
        state.value.dispose();
        promise.dispose();
        if (json.length > task.maxOutputChars)
          return {
            ok: false,
            error: `The code's result is ${json.length} characters as JSON, more than the ${task.maxOutputChars} allowed`,
            logs,
          };
        return { ok: true, json, logs };
      }
      if (state.type === "rejected") {
        const message = describe(state.error);
        state.error.dispose();
        promise.dispose();
        return { ok: false, error: message, logs };
      }
      const jobs = runtime.executePendingJobs();
      if (jobs.error) {
        const message = describe(jobs.error);
        jobs.error.dispose();
        promise.dispose();
        return { ok: false, error: message, logs };
      }
      if (jobs.value === 0) {
        promise.dispose();
        return {
          ok: false,
          error: "The code awaited something that never finished (the sandbox has no timers or network)",
          logs,
        };
      }
    }
  } finally {
    // A runtime stopped by its limits may hold handles; it is thrown away either way. Freeing
    // one can abort the WebAssembly module (quickjs-emscripten 0.32's "list_empty(&rt->gc_obj_list)"
    // after a huge value or an out-of-memory error, an open upstream bug), leaving that runtime's
    // memory unfreed and the module in a state nobody vouches for: the next task loads a new one.
    try {
      context.dispose();
      runtime.dispose();
    } catch {
      quickJs = null;
    }
  }
}

/** The line of the user's code an error was thrown at, from QuickJS's stack ("at <anonymous> (code.js:3)"). */
function codeLine(/** @type {string} */ stack) {
  const match = /code\.js:(\d+)/.exec(stack);
  return match ? Number(match[1]) : null;
}
