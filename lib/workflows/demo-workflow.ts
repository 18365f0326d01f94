import type { WorkflowGraph } from "../schemas/workflow";

/**
 * The workflow every new workspace starts with: research a topic, draft a brief, have a
 * person approve it, and name the result. It runs on the built-in simulated model ("demo").
 */
export const demoWorkflow: { name: string; description: string; graph: WorkflowGraph } = {
  name: "Demo: research brief with approval",
  description: "An agent researches a topic and drafts a brief; a reviewer approves it before it becomes the result.",
  graph: {
    nodes: [
      {
        id: "start",
        kind: "start",
        label: "Topic",
        position: { x: 0, y: 120 },
        config: { fields: [{ name: "topic", type: "string", required: true, description: "What to research" }] },
      },
      {
        id: "research",
        kind: "agent",
        label: "Research",
        position: { x: 300, y: 120 },
        config: {
          model: "demo",
          instructions: "Research {{nodes.start.output.topic}} and list the five most important facts.",
          tools: [],
          maxSteps: 4,
          outputSchema: "",
          useRunMemory: true,
        },
      },
      {
        id: "draft",
        kind: "agent",
        label: "Draft brief",
        position: { x: 600, y: 120 },
        config: {
          model: "demo",
          instructions: "Write a one-page brief from these facts: {{nodes.research.output.text}}",
          tools: [],
          maxSteps: 2,
          outputSchema: "",
          useRunMemory: true,
        },
      },
      {
        id: "approve",
        kind: "human-review",
        label: "Approve brief",
        position: { x: 900, y: 120 },
        config: {
          instructions: "Check the brief for **accuracy** and tone.",
          content: "{{nodes.draft.output.text}}",
          reviewerRole: "REVIEWER",
          reviewerEmail: "",
          editable: true,
          outcomes: [],
          // A fresh install has one person: they may approve their own demo run.
          allowSelfApproval: true,
        },
      },
      {
        id: "result",
        kind: "output",
        label: "Brief",
        position: { x: 1200, y: 40 },
        config: { value: "{{nodes.approve.output.text}}" },
      },
      {
        id: "rejected",
        kind: "output",
        label: "Rejected",
        position: { x: 1200, y: 220 },
        config: { value: "{{nodes.approve.output.comment}}" },
      },
    ],
    edges: [
      { id: "e1", source: "start", target: "research" },
      { id: "e2", source: "research", target: "draft" },
      { id: "e3", source: "draft", target: "approve" },
      { id: "e4", source: "approve", target: "result", sourceHandle: "approved" },
      { id: "e5", source: "approve", target: "rejected", sourceHandle: "rejected" },
    ],
  },
};
