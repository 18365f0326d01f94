/**
 * Runs over HTTP as an integrator starts and follows them, for the benchmarks that time them
 * (run-latency.ts, versus-n8n.ts): a chain of cheap steps, a run from its start to its end on the
 * SSE stream, and the resident memory of the process serving a port.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { WorkflowGraph } from "../../lib/schemas/workflow";

/** Start → `conditions` Conditions (`true`) → Output: the cheapest steps there are. */
export function chainOf(conditions: number): WorkflowGraph {
  const nodes: WorkflowGraph["nodes"] = [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
  ];
  const edges: WorkflowGraph["edges"] = [];
  for (let i = 1; i <= conditions; i += 1) {
    nodes.push({
      id: `c${i}`,
      kind: "condition",
      label: `Check ${i}`,
      position: { x: i * 260, y: 0 },
      config: { branches: [{ id: "yes", expression: "true" }] },
    });
  }
  nodes.push({
    id: "out",
    kind: "output",
    label: "Output",
    position: { x: (conditions + 1) * 260, y: 0 },
    config: { value: "done" },
  });
  for (let i = 1; i < nodes.length; i += 1)
    edges.push({
      id: `e${i}`,
      source: nodes[i - 1]!.id,
      target: nodes[i]!.id,
      ...(nodes[i - 1]!.kind === "condition" ? { sourceHandle: "yes" } : {}),
    });
  return { nodes, edges };
}

/**
 * Starts a run and waits for its terminal event on the SSE stream; returns the ms it took.
 * Two requests (start, then follow), or `oneRequest`: the start's answer is the stream.
 */
export async function runToEnd(url: string, key: string, workflowId: string, oneRequest = false): Promise<number> {
  const headers = { authorization: `Bearer ${key}` };
  const t0 = performance.now();
  const started = await fetch(`${url}/api/workflows/${workflowId}/runs`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json", ...(oneRequest && { accept: "text/event-stream" }) },
    body: JSON.stringify({ input: {} }),
  });
  if (started.status !== 201) throw new Error(`start: ${started.status} ${await started.text()}`);
  const id = oneRequest ? started.headers.get("x-run-id")! : ((await started.json()) as { id: string }).id;
  const res = oneRequest ? started : await fetch(`${url}/api/runs/${id}/events`, { headers });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) throw new Error(`the event stream of run ${id} ended without a terminal event`);
    buffer += decoder.decode(chunk.value, { stream: true });
    for (let cut = buffer.indexOf("\n\n"); cut >= 0; cut = buffer.indexOf("\n\n")) {
      const data = buffer
        .slice(0, cut)
        .split("\n")
        .find((l) => l.startsWith("data: "));
      buffer = buffer.slice(cut + 2);
      if (!data) continue;
      const { type } = JSON.parse(data.slice(6)) as { type: string };
      if (type === "run.completed" || type === "run.failed" || type === "run.cancelled") {
        await reader.cancel().catch(() => undefined);
        if (type !== "run.completed") throw new Error(`run ${id} ended with ${type}`);
        return performance.now() - t0;
      }
    }
  }
}

/**
 * Resident memory (MB) of the process listening on the server's port, with its child processes
 * (n8n's task runner; the studio has none); null where `ss` or /proc is missing.
 */
export function residentMb(url: string): number | null {
  try {
    const port = new URL(url).port;
    const line = execFileSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" });
    const root = /pid=(\d+)/.exec(line)?.[1];
    if (!root) return null;
    const parents = execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map((l) => l.trim().split(/\s+/));
    const tree = [root];
    for (let i = 0; i < tree.length; i += 1)
      for (const [pid, ppid] of parents) if (ppid === tree[i] && pid) tree.push(pid);
    const kb = tree.reduce((sum, pid) => {
      const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
      return sum + Number(rss ?? 0);
    }, 0);
    return Math.round(kb / 1024);
  } catch {
    return null;
  }
}
