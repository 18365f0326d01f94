import type { WorkflowGraph } from "../../lib/schemas/workflow";

/**
 * A large workflow for the canvas: a Start and `nodes - 1` steps on a grid, 25 to a row (Agents,
 * every seventh a Condition), joined by `edges` connections. Used by the large-canvas browser
 * test and `npm run bench canvas`.
 */
export function bigGraph(nodes: number, edges: number): WorkflowGraph {
  const cols = 25;
  const g: WorkflowGraph = { nodes: [], edges: [] };
  g.nodes.push({
    id: "start",
    kind: "start",
    label: "Start",
    position: { x: 0, y: 0 },
    config: { fields: [{ name: "input", type: "string", required: true, description: "" }] },
  });
  for (let i = 1; i < nodes; i += 1) {
    g.nodes.push({
      id: `n${i}`,
      kind: i % 7 === 0 ? "condition" : "agent",
      label: `Step ${i}`,
      position: { x: (i % cols) * 280, y: Math.floor(i / cols) * 160 },
      config:
        i % 7 === 0
          ? { branches: [{ id: "yes", expression: "true" }] }
          : {
              model: "demo",
              instructions: `Do part ${i}`,
              tools: [],
              maxSteps: 3,
              outputSchema: "",
              useRunMemory: true,
            },
    });
  }
  for (let i = 0; g.edges.length < edges; i += 1) {
    const source = g.nodes[i % (nodes - 1)]!.id;
    const target = g.nodes[(i % (nodes - 1)) + 1 + (i >= nodes - 1 ? 1 : 0)]?.id;
    if (!target || source === target) continue;
    const handle =
      g.nodes.find((n) => n.id === source)!.kind === "condition"
        ? { sourceHandle: i >= nodes - 1 ? "else" : "yes" }
        : {};
    g.edges.push({ id: `e${i}`, source, target, ...handle });
  }
  return g;
}
