import type { APIRequestContext } from "@playwright/test";
import { expect } from "./fixtures";
import { node } from "./graph-node";

/** Start (message) → Agent (demo) [→ Review] → Output (the agent's text), published. */
export async function assistant(api: APIRequestContext, review = false): Promise<string> {
  const graph = {
    nodes: [
      node("start", "start", { fields: [{ name: "message", type: "text", required: true }] }, 0),
      node("agent", "agent", { model: "demo", instructions: "{{nodes.start.output.message}}" }, 1),
      ...(review
        ? [
            node(
              "check",
              "human-review",
              { instructions: "Check the answer", content: "{{nodes.agent.output.text}}", reviewerRole: "REVIEWER" },
              2,
            ),
          ]
        : []),
      node("out", "output", { value: "{{nodes.agent.output.text}}" }, 3),
    ],
    edges: review
      ? [
          { id: "e1", source: "start", target: "agent" },
          { id: "e2", source: "agent", target: "check" },
          { id: "e3", source: "check", target: "out", sourceHandle: "approved" },
        ]
      : [
          { id: "e1", source: "start", target: "agent" },
          { id: "e2", source: "agent", target: "out" },
        ],
  };
  const made = await api.post("/api/workflows", {
    data: { name: `Help desk ${Date.now()}`, description: "Ask us anything.", graph },
  });
  expect(made.status(), await made.text()).toBe(201);
  const { id, revision } = await made.json();
  expect((await api.post(`/api/workflows/${id}/versions`, { data: { revision, note: "" } })).status()).toBe(201);
  return id;
}

export async function chatTrigger(api: APIRequestContext, workflowId: string, config: Record<string, unknown>) {
  const made = await api.post(`/api/workflows/${workflowId}/triggers`, {
    data: { kind: "chat", name: "Help desk", config },
  });
  expect(made.status(), await made.text()).toBe(201);
  return (await made.json()) as { id: string; path: string; widgetPath: string };
}
