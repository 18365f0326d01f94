import { describeRunStore } from "./run-store-conformance";
import { MemoryRunStore } from "./memory-ports";

let n = 0;
describeRunStore("in memory", async () => {
  const store = new MemoryRunStore();
  return {
    store,
    newRun: async () => `run_${++n}`,
    events: async (runId) =>
      store.events
        .filter((e) => e.runId === runId)
        .map((e, i) => ({ seq: i + 1, type: e.event.type, nodeId: e.event.nodeId })),
  };
});
