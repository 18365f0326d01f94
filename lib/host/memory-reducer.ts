import "server-only";
import { performance } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";
import { logger } from "../log/logger";

/**
 * Gives memory back after a burst of work. V8 collects its old generation only as it fills, and
 * a process that goes quiet allocates nothing that would make it: a studio that had just served
 * a thousand runs kept their garbage (about 200 MB of heap) for as long as it stayed idle. So
 * once the process is truly quiet (its event loop almost idle for several looks in a row, and
 * no run held, `busy`), and its used heap has grown well past the least it was seen at since
 * the last collection, one full collection runs: tens of milliseconds, at most once a minute.
 * Nothing happens under load or while runs wait on models, when V8 collects on its own.
 */
export interface MemoryReducerOptions {
  /** How often the process looks. */
  everyMs?: number;
  /** Looks in a row that must find it quiet. */
  quietLooks?: number;
  /** Growth of the used heap past the least it was seen at that is worth a collection (bytes). */
  growthBytes?: number;
  /** The share of time the event loop may be busy and still count as quiet. */
  quietBelow?: number;
  /** The least time between two collections. */
  minGapMs?: number;
  /** Work in flight that a pause would delay (the runs this process holds). */
  busy?: () => boolean;
}

/**
 * The isolate's collector: `gc` where the process was started with --expose-gc (scripts/start.mjs,
 * the worker, test studios), else made callable at run time (the flag is read when a context is
 * made; from then on every new vm context and worker thread has a `gc` too, which none here uses).
 */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

export function startMemoryReducer(options: MemoryReducerOptions = {}): () => Promise<void> {
  const {
    everyMs = 3_000,
    quietLooks = 3,
    growthBytes = 64 * 1024 * 1024,
    quietBelow = 0.05,
    minGapMs = 60_000,
    busy = () => false,
  } = options;
  const gc = collector();
  let least = process.memoryUsage().heapUsed;
  let quiet = 0;
  let collectedAt = -Infinity;
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const share = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    const used = process.memoryUsage().heapUsed;
    least = Math.min(least, used); // V8's own collections count too
    quiet = share < quietBelow && !busy() ? quiet + 1 : 0;
    if (quiet < quietLooks || used - least < growthBytes || performance.now() - collectedAt < minGapMs) return;
    const started = performance.now();
    gc();
    collectedAt = performance.now();
    least = process.memoryUsage().heapUsed;
    quiet = 0;
    logger().debug(
      { freedMb: Math.round((used - least) / 1048576), ms: Math.round(collectedAt - started) },
      "collected what a burst of work left",
    );
    last = performance.eventLoopUtilization();
  }, everyMs);
  timer.unref();
  return async () => clearInterval(timer);
}
