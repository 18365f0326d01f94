import "server-only";
import { performance } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";
import { logger } from "../log/logger";

/**
 * Gives memory back after a burst of work. V8 collects its old generation only as it fills, and
 * a process that goes quiet allocates nothing that would make it: a studio that had just served
 * a thousand runs kept their garbage (about 200 MB of heap) for as long as it stayed idle. So
 * when the heap has grown well past what the last full collection left, and the process has
 * been quiet for a while (its event loop almost idle), one full collection runs (tens of
 * milliseconds, only then). Nothing happens under load, when V8 collects on its own.
 */
export interface MemoryReducerOptions {
  /** How often the process looks: this long quiet is "quiet". */
  everyMs?: number;
  /** Growth of the used heap since the last full collection that is worth one (bytes). */
  growthBytes?: number;
  /** The share of time the event loop may be busy and still count as quiet. */
  quietBelow?: number;
}

/** The collector of this isolate, made callable at run time (the flag is read when a context is made). */
function collector(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

export function startMemoryReducer(options: MemoryReducerOptions = {}): () => Promise<void> {
  const { everyMs = 3_000, growthBytes = 64 * 1024 * 1024, quietBelow = 0.05 } = options;
  const gc = collector();
  let baseline = process.memoryUsage().heapUsed;
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    const used = process.memoryUsage().heapUsed;
    if (busy >= quietBelow || used - baseline < growthBytes) return;
    const started = performance.now();
    gc();
    baseline = process.memoryUsage().heapUsed;
    logger().debug(
      { freedMb: Math.round((used - baseline) / 1048576), ms: Math.round(performance.now() - started) },
      "collected what a burst of work left",
    );
    last = performance.eventLoopUtilization();
  }, everyMs);
  timer.unref();
  return async () => clearInterval(timer);
}
