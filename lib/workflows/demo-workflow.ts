import type { WorkflowGraph } from "../schemas/workflow";

/**
 * The workflow every new workspace starts with: research a topic, draft a summary, have a
 * person approve it, and name the result. It runs on the built-in simulated model.
 */
export const demoWorkflow: { name: string; description: string; graph: WorkflowGraph } = {
  name: "Demo: research brief with approval",
  description: "An agent researches a topic and drafts a brief; a reviewer approves it before it becomes the result.",
  graph: {
    nodes: [
      { id: "start", kind: "start", label: "Topic", position: { x: 0, y: 120 }, config: { fields: [{ name: "topic", type: "string", required: true }] } },
      {
        id: "research",
        kind: "agent",
        label: "Research",
        position: { x: 260, y: 120 },
        config: { model: "demo", instructions: "Research {{nodes.start.output.topic}} and list the five most important facts.", maxSteps: 4 },
      },
      {
        id: "draft",
        kind: "agent",
        label: "Draft brief",
        position: { x: 520, y: 120 },
        config: { model: "demo", instructions: "Write a one-page brief from these facts: {{nodes.research.output.text}}", maxSteps: 2 },
      },
      {
        id: "approve",
        kind: "human-review",
        label: "Approve brief",
        position: { x: 780, y: 120 },
        config: { instructions: "Check the brief for accuracy and tone.", reviewers: { role: "REVIEWER" }, editable: true },
      },
      { id: "result", kind: "output", label: "Brief", position: { x: 1040, y: 120 }, config: { value: "{{nodes.approve.output.text}}" } },
    ],
    edges: [
      { id: "e1", source: "start", target: "research" },
      { id: "e2", source: "research", target: "draft" },
      { id: "e3", source: "draft", target: "approve" },
      { id: "e4", source: "approve", target: "result" },
    ],
  },
};
