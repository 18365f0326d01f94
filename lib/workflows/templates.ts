import type { WorkflowGraph, WorkflowNode } from "../schemas/workflow";

/**
 * "New from template": each template is one workflow, plus the specialist workflows it calls
 * as sub-workflows (created and published first, then wired in by their new ids).
 */
export interface WorkflowTemplate {
  id: string;
  name: string;
  description: string;
  /** Specialists to create and publish first; `key` is how the main graph refers to them. */
  specialists: { key: string; name: string; description: string; graph: WorkflowGraph }[];
  /** The main graph; sub-workflow nodes name a specialist by `config.workflowId = "@<key>"`. */
  graph: WorkflowGraph;
}

/** Template coordinates (columns 260 apart) spread to the canvas's step size: 300 apart. */
const at = (x: number, y: number) => ({ x: Math.round((x * 300) / 260), y: Math.round(y * 1.5) });
const start = (fields: string[], x = 0, y = 0): WorkflowNode => ({
  id: "start",
  kind: "start",
  label: "Start",
  position: at(x, y),
  config: { fields: fields.map((name) => ({ name, type: "string", required: true, description: "" })) },
});
const agent = (id: string, label: string, instructions: string, x: number, y: number): WorkflowNode => ({
  id,
  kind: "agent",
  label,
  position: at(x, y),
  config: { model: "demo", instructions, tools: [], maxSteps: 5, outputSchema: "", useRunMemory: true },
});
const output = (id: string, label: string, value: string, x: number, y: number): WorkflowNode => ({
  id,
  kind: "output",
  label,
  position: at(x, y),
  config: { value },
});
const line = (...ids: string[]) =>
  ids.slice(1).map((id, i) => ({ id: `e_${ids[i]}_${id}`, source: ids[i]!, target: id }));

const specialist = (key: string, name: string, instructions: string) => ({
  key,
  name,
  description: `Specialist agent used by the research orchestrator (${key}).`,
  graph: {
    nodes: [
      start(["task"]),
      agent("work", name, instructions, 280, 0),
      output("result", "Result", "{{nodes.work.output.text}}", 560, 0),
    ],
    edges: line("start", "work", "result"),
  },
});

const sub = (id: string, label: string, key: string, value: string, x: number, y: number): WorkflowNode => ({
  id,
  kind: "sub-workflow",
  label,
  position: at(x, y),
  config: { workflowId: `@${key}`, inputs: [{ name: "task", value }] },
});

export const workflowTemplates: WorkflowTemplate[] = [
  {
    id: "research-report",
    name: "Research → analysis → report",
    description:
      "An orchestrator agent plans the work and delegates to research, analysis and reporting specialists, each its own sub-workflow.",
    specialists: [
      specialist("research", "Research specialist", "Gather facts for: {{nodes.start.output.task}}"),
      specialist("analysis", "Analysis specialist", "Weigh the options in: {{nodes.start.output.task}}"),
      specialist("report", "Report specialist", "Write a clear report from: {{nodes.start.output.task}}"),
    ],
    graph: {
      nodes: [
        start(["question"]),
        agent(
          "plan",
          "Orchestrator",
          "Break {{nodes.start.output.question}} into a research brief, an analysis brief and a report brief.",
          260,
          0,
        ),
        sub("research", "Research", "research", "{{nodes.plan.output.text}}", 520, -80),
        sub("analysis", "Analysis", "analysis", "{{nodes.research.output.output}}", 780, -80),
        sub("report", "Report", "report", "{{nodes.analysis.output.output}}", 1040, 0),
        output("result", "Report", "{{nodes.report.output.output}}", 1300, 0),
      ],
      edges: line("start", "plan", "research", "analysis", "report", "result"),
    },
  },
  {
    id: "draft-approve-send",
    name: "Agent drafts, human approves, tool sends",
    description: "An agent drafts a reply; a reviewer approves or edits it; a tool sends it.",
    specialists: [],
    graph: {
      nodes: [
        start(["request"]),
        agent("draft", "Draft reply", "Draft a polite reply to: {{nodes.start.output.request}}", 260, 0),
        {
          id: "approve",
          kind: "human-review",
          label: "Approve reply",
          position: at(520, 0),
          config: {
            instructions: "Check the reply before it is sent.",
            content: "{{nodes.draft.output.text}}",
            reviewerRole: "REVIEWER",
            reviewerEmail: "",
            editable: true,
            outcomes: [],
            allowSelfApproval: false,
          },
        },
        {
          id: "send",
          kind: "tool",
          label: "Send reply",
          position: at(800, -60),
          config: { tool: "mail__send", arguments: [{ name: "body", value: "{{nodes.approve.output.text}}" }] },
        },
        output("sent", "Sent", "{{nodes.send.output.text}}", 1060, -60),
        output("dropped", "Not sent", "{{nodes.approve.output.comment}}", 800, 100),
      ],
      edges: [
        ...line("start", "draft", "approve"),
        { id: "e_approve_send", source: "approve", target: "send", sourceHandle: "approved" },
        { id: "e_send_sent", source: "send", target: "sent" },
        { id: "e_approve_dropped", source: "approve", target: "dropped", sourceHandle: "rejected" },
      ],
    },
  },
  {
    id: "classify-route",
    name: "Classify and route",
    description:
      "An agent classifies a request; a Condition sends billing questions to one agent and everything else to another.",
    specialists: [],
    graph: {
      nodes: [
        start(["request"]),
        agent("classify", "Classify", "Answer with one word, billing or other: {{nodes.start.output.request}}", 260, 0),
        {
          id: "route",
          kind: "condition",
          label: "Billing?",
          position: at(520, 0),
          config: {
            branches: [{ id: "billing", expression: '$contains($lowercase(nodes.classify.output.text), "billing")' }],
          },
        },
        agent("billing", "Billing agent", "Help with this billing question: {{nodes.start.output.request}}", 780, -80),
        agent("general", "General agent", "Help with this request: {{nodes.start.output.request}}", 780, 80),
        output("billing_answer", "Billing answer", "{{nodes.billing.output.text}}", 1040, -80),
        output("general_answer", "General answer", "{{nodes.general.output.text}}", 1040, 80),
      ],
      edges: [
        ...line("start", "classify", "route"),
        { id: "e_route_billing", source: "route", target: "billing", sourceHandle: "billing" },
        { id: "e_route_general", source: "route", target: "general", sourceHandle: "else" },
        ...line("billing", "billing_answer"),
        ...line("general", "general_answer"),
      ],
    },
  },
];
