import { findReferences } from "../engine/graph/references";
import type { WorkflowGraph, WorkflowNode } from "../schemas/workflow";

/** What the editor tells the person after a connection put a step between two. */
export interface InsertNotice {
  tone: "info" | "warning";
  message: string;
}

const name = (n: WorkflowNode) => `“${n.label || n.id}”`;

/** Every string in a config value, rewritten by `map`. */
function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, map));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, map)]));
  return value;
}

function stringsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringsOf);
  return [];
}

const refsTo = (node: WorkflowNode, id: string) =>
  stringsOf(node.config).flatMap((t) => findReferences(t).filter((r) => r.nodeId === id));

/**
 * A new connection `edge` may put a step between two: `up ──> middle ──> down`, where `down`
 * still reads `up` ({{nodes.up.output…}}) past the step just put before it. A Human Review
 * passes the value on (its output is the content as the reviewer approved or edited it), so
 * `down`'s references to what the review shows are rewired to read the review (and a review
 * with no content yet is given that value to show). Any other step, or a reference the review
 * does not pass on, is left as it is, with a warning that names it.
 *
 * Returns the graph (the same object when nothing changed) and what to tell the person.
 */
export function rewireInsertedStep(
  graph: WorkflowGraph,
  edge: { source: string; target: string },
): { graph: WorkflowGraph; notices: InsertNotice[] } {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  // The new edge is either middle ──> down, or up ──> middle.
  const triples = [
    ...graph.edges
      .filter((e) => e.target === edge.source && e.source !== edge.target)
      .map((e) => [e.source, edge.source, edge.target] as const),
    ...graph.edges
      .filter((e) => e.source === edge.target && e.target !== edge.source)
      .map((e) => [edge.source, edge.target, e.target] as const),
  ];
  const configs = new Map<string, Record<string, unknown>>();
  const current = (id: string) => ({ ...byId.get(id)!, config: configs.get(id) ?? byId.get(id)!.config });
  const notices: InsertNotice[] = [];
  const seen = new Set<string>();
  for (const [upId, middleId, downId] of triples) {
    const key = `${upId}>${middleId}>${downId}`;
    if (seen.has(key) || upId === downId || !byId.has(upId) || !byId.has(middleId) || !byId.has(downId)) continue;
    seen.add(key);
    const [up, middle, down] = [current(upId), current(middleId), current(downId)];
    const refs = refsTo(down, upId);
    if (!refs.length) continue;
    if (middle.kind === "human-review") {
      const content = String(middle.config.content ?? "").trim();
      const shown = findReferences(content);
      // The review passes on what it shows, when it shows exactly one reference to `up`.
      const passed =
        content === ""
          ? refs[0]!
          : shown.length === 1 && shown[0]!.raw === content && shown[0]!.nodeId === upId
            ? shown[0]!
            : undefined;
      if (passed) {
        const same = (r: { nodeId: string; path: string[] }) =>
          r.nodeId === upId && r.path.join(".") === passed.path.join(".");
        const field = middle.config.format === "json" ? "content" : "text";
        const rewired = `{{nodes.${middleId}.output.${field}}}`;
        configs.set(
          downId,
          mapStrings(down.config, (text) =>
            findReferences(text)
              .filter(same)
              .reduce((t, r) => t.split(r.raw).join(rewired), text),
          ) as Record<string, unknown>,
        );
        if (content === "") configs.set(middleId, { ...middle.config, content: passed.raw });
        notices.push({
          tone: "info",
          message: `${name(down)} now reads ${name(middle)} instead of ${name(up)}, so what the reviewer approves or edits is what it gets.`,
        });
        if (refs.some((r) => !same(r)))
          notices.push({
            tone: "warning",
            message: `${name(down)} still reads other parts of ${name(up)} directly, past ${name(middle)}: check its references.`,
          });
        continue;
      }
    }
    notices.push({
      tone: "warning",
      message: `${name(down)} still reads ${name(up)} directly, past ${name(middle)} you put before it: change its reference if it should read ${name(middle)}.`,
    });
  }
  if (!configs.size) return { graph, notices };
  return {
    graph: {
      ...graph,
      nodes: graph.nodes.map((n) => (configs.has(n.id) ? { ...n, config: configs.get(n.id)! } : n)),
    },
    notices,
  };
}
