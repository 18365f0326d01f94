import { expect, type APIRequestContext } from "@playwright/test";

/**
 * A workflow of two model steps for the iterate-safely tests (replay, pins): Start (a topic) →
 * Research (a model alias, "researcher" unless given) → Write (another, "writer", reading
 * Research's text) → Out. Answers its id and revision.
 */
export async function briefWorkflow(
  api: APIRequestContext,
  name: string,
  models = { research: "researcher", write: "writer" },
): Promise<{ id: string; revision: number }> {
  const agent = (id: string, label: string, model: string, instructions: string, x: number) => ({
    id,
    kind: "agent",
    label,
    position: { x, y: 0 },
    config: { model, instructions },
  });
  const made = await api.post("/api/workflows", {
    data: {
      name,
      graph: {
        nodes: [
          {
            id: "start",
            kind: "start",
            label: "Start",
            position: { x: 0, y: 0 },
            config: { fields: [{ name: "topic", type: "text", required: true }] },
          },
          agent("research", "Research", models.research, "Research {{nodes.start.output.topic}}", 300),
          agent("write", "Write", models.write, "Write about: {{nodes.research.output.text}}", 600),
          {
            id: "out",
            kind: "output",
            label: "Out",
            position: { x: 900, y: 0 },
            config: { value: "{{nodes.write.output.text}}" },
          },
        ],
        edges: [
          { id: "e1", source: "start", target: "research" },
          { id: "e2", source: "research", target: "write" },
          { id: "e3", source: "write", target: "out" },
        ],
      },
    },
  });
  expect(made.status(), await made.text()).toBe(201);
  return made.json();
}
