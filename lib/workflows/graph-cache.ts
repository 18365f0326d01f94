import "server-only";
import { LRUCache } from "lru-cache";
import { validateGraph, type GraphProblem } from "../engine/graph/validate-graph";
import { processSingleton } from "../process/singleton";
import { workflowGraphSchema, type WorkflowGraph } from "../schemas/workflow";

/**
 * Published versions never change, so each is parsed and checked once per process: the graph
 * (parsed with its schema), its problems (`validateGraph`), and its JSON text (what a run
 * stores). Drafts change with every edit and are parsed each time.
 */
export interface CheckedGraph {
  graph: WorkflowGraph;
  problems: GraphProblem[];
  json: string;
}

const cache = () => processSingleton("published-graphs", () => new LRUCache<string, CheckedGraph>({ max: 500 }));

function check(raw: unknown): CheckedGraph {
  const graph = workflowGraphSchema.parse(raw);
  return { graph, problems: validateGraph(graph), json: JSON.stringify(graph) };
}

/** The checked graph of a version (`version` null: a draft, never cached); `raw` is read only when it is not cached. */
export async function checkedGraph(
  workflowId: string,
  version: number | null,
  raw: unknown | (() => Promise<unknown>),
): Promise<CheckedGraph> {
  const read = async () => (typeof raw === "function" ? await (raw as () => Promise<unknown>)() : raw);
  if (version === null) return check(await read());
  const key = `${workflowId}@${version}`;
  let hit = cache().get(key);
  if (!hit) cache().set(key, (hit = check(await read())));
  return hit;
}
