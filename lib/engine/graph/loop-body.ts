import type { WorkflowGraph, WorkflowNode } from "../../schemas/workflow";

/**
 * A Loop's body drawn on the canvas: the steps inside it (`parentId`), run as a graph of their
 * own for each item. The graph around them never runs them, and they see nothing of it but
 * what the Loop hands each item.
 */

const topLevelOf = new WeakMap<WorkflowGraph, WorkflowGraph>();

/** The graph without any Loop's body: what a run executes (found once per graph object). */
export function topLevel(graph: WorkflowGraph): WorkflowGraph {
  let top = topLevelOf.get(graph);
  if (!top) {
    if (!graph.nodes.some((n) => n.parentId !== undefined)) top = graph;
    else {
      const nodes = graph.nodes.filter((n) => n.parentId === undefined);
      const ids = new Set(nodes.map((n) => n.id));
      top = { nodes, edges: graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
    }
    topLevelOf.set(graph, top);
  }
  return top;
}

/** Does this Loop have steps drawn inside it (notes aside)? */
export function hasBody(graph: WorkflowGraph, loopId: string): boolean {
  return graph.nodes.some((n) => n.parentId === loopId && n.kind !== "note");
}

/** The fields each item's run starts with: the item, its index, and the Loop's other inputs. */
export function bodyInputFields(inputNames: string[]): string[] {
  return ["item", "index", ...inputNames.filter((n) => n !== "item" && n !== "index")];
}

/**
 * A Loop's body as a workflow of its own: a Start with the Loop's id and name (so the steps
 * inside read the item as {{nodes.<loop>.output.item}}, and its index and the Loop's other
 * inputs beside it), connected to every step inside that nothing inside leads to; the steps
 * inside and the connections between them. Loops nested inside keep their own bodies.
 */
export function bodyOf(
  graph: WorkflowGraph,
  loop: Pick<WorkflowNode, "id" | "label">,
  inputNames: string[] = [],
): WorkflowGraph {
  const inside = new Set<string>();
  // Every step inside, at any depth (a Loop inside the body brings its own body along).
  for (let grew = true; grew;) {
    grew = false;
    for (const n of graph.nodes)
      if (!inside.has(n.id) && n.parentId !== undefined && (n.parentId === loop.id || inside.has(n.parentId))) {
        inside.add(n.id);
        grew = true;
      }
  }
  const nodes = graph.nodes
    .filter((n) => inside.has(n.id))
    .map((n): WorkflowNode => {
      if (n.parentId !== loop.id) return n;
      const { parentId: _inside, ...rest } = n;
      return rest;
    });
  const edges = graph.edges.filter((e) => inside.has(e.source) && inside.has(e.target));
  const direct = nodes.filter((n) => n.parentId === undefined && n.kind !== "note");
  const entered = new Set(edges.map((e) => e.target));
  const start: WorkflowNode = {
    id: loop.id,
    kind: "start",
    label: loop.label || loop.id,
    position: { x: 0, y: 0 },
    config: {
      fields: bodyInputFields(inputNames).map((name) => ({
        name,
        type: name === "index" ? "number" : "json",
        required: name === "index",
        description: "",
      })),
    },
  };
  return {
    nodes: [start, ...nodes],
    edges: [
      ...direct
        .filter((n) => !entered.has(n.id))
        .map((n) => ({ id: `${loop.id}→${n.id}`, source: loop.id, target: n.id })),
      ...edges,
    ],
  };
}
