import { nodeKindSpecs } from "../../schemas/node-kinds";
import type { NodeKind, WorkflowEdge, WorkflowGraph, WorkflowNode } from "../../schemas/workflow";

/**
 * A small fluent builder for test graphs (after n8n's): nodes get their kind's default
 * config unless given one; `to` connects from the last node added or named.
 *   graph().start("s").agent("a").output("o").chain("s", "a", "o").build()
 */
export function graph() {
  const nodes: WorkflowNode[] = [];
  const edges: WorkflowEdge[] = [];
  const api = {
    node(kind: NodeKind, id: string, config?: Record<string, unknown>) {
      nodes.push({
        id,
        kind,
        label: id,
        position: { x: nodes.length * 200, y: 0 },
        config: config ?? (structuredClone(nodeKindSpecs[kind].defaultConfig) as Record<string, unknown>),
      });
      return api;
    },
    start: (id: string, config?: Record<string, unknown>) => api.node("start", id, config),
    agent: (id: string, instructions = "Do the work", extra: Record<string, unknown> = {}) =>
      api.node("agent", id, { ...nodeKindSpecs.agent.defaultConfig, instructions, ...extra }),
    output: (id: string, value = "done") => api.node("output", id, { value }),
    condition: (id: string, branches: { id: string; expression: string }[]) => api.node("condition", id, { branches }),
    transform: (id: string, expression: string) => api.node("transform", id, { expression }),
    code: (id: string, code: string, limits: { timeLimitSeconds?: number; memoryMb?: number } = {}) =>
      api.node("code", id, { code, ...limits }),
    edge(source: string, target: string, sourceHandle?: string) {
      edges.push({
        id: `${source}-${sourceHandle ?? ""}-${target}`,
        source,
        target,
        ...(sourceHandle ? { sourceHandle } : {}),
      });
      return api;
    },
    chain(...ids: string[]) {
      ids.slice(1).forEach((id, i) => api.edge(ids[i]!, id));
      return api;
    },
    build: (): WorkflowGraph => ({ nodes, edges }),
  };
  return api;
}
