import { describe, expect, it } from "vitest";
import { graph } from "../graph/graph-builder.test-support";
import type { ModelRequest, StepRecord } from "../ports";
import { runWorkflow } from "../run/run-workflow";
import { memoryPorts } from "../testing/memory-ports";
import { awaitReview } from "./await-review";

const never = new AbortController().signal;
const spec = (g: ReturnType<ReturnType<typeof graph>["build"]>) => ({
  runId: "r1",
  graph: g,
  input: { input: "cats" },
  depth: 0,
});
const waitingStep: StepRecord = {
  nodeId: "approve",
  kind: "human-review",
  attempt: 1,
  status: "waiting",
  waitingOn: "review_1",
  input: { content: "draft" },
  startedAt: 1,
};

describe("awaitReview", () => {
  it("on a first visit, says nothing was filed and asks the queue nothing", async () => {
    const fake = memoryPorts();
    const asked: string[] = [];
    const reviews = { ...fake.ports.reviews, decision: async (id: string) => (asked.push(id), null) };
    expect(await awaitReview(undefined, reviews)).toEqual({ status: "not-filed" });
    expect(await awaitReview({ ...waitingStep, status: "running" }, reviews)).toEqual({ status: "not-filed" });
    expect(asked).toEqual([]);
  });

  it("while the review is undecided, hands back the waiting result as the step was saved", async () => {
    const fake = memoryPorts();
    await fake.ports.reviews.request({
      runId: "r1",
      nodeId: "approve",
      instructions: "",
      content: "draft",
      reviewerRole: "REVIEWER",
      reviewerEmail: "",
      editable: false,
      outcomes: ["approved", "rejected"],
    });
    expect(await awaitReview(waitingStep, fake.ports.reviews)).toEqual({
      status: "pending",
      result: { status: "waiting", waitingOn: "review_1", input: { content: "draft" } },
    });
  });

  it("once decided, hands back the decision and the input saved when the review was filed", async () => {
    const fake = memoryPorts();
    await fake.ports.reviews.request({
      runId: "r1",
      nodeId: "approve",
      instructions: "",
      content: "draft",
      reviewerRole: "REVIEWER",
      reviewerEmail: "",
      editable: false,
      outcomes: ["approved", "rejected"],
    });
    const decision = { outcome: "rejected", content: "draft", comment: "too long", reviewer: "rita" };
    fake.decide("review_1", decision);
    expect(await awaitReview(waitingStep, fake.ports.reviews)).toEqual({
      status: "decided",
      decision,
      input: { content: "draft" },
    });
  });
});

describe("a step waiting for a person, visited again before anyone decides", () => {
  it("a Human review keeps waiting and files no second review", async () => {
    //  start ──> approve (human review) ──(approved)──> out
    const g = graph()
      .start("start")
      .node("human-review", "approve", {
        instructions: "Check",
        content: "{{nodes.start.output.input}}",
        reviewerRole: "REVIEWER",
        reviewerEmail: "",
        editable: true,
        outcomes: [],
        allowSelfApproval: false,
      })
      .output("out", "{{nodes.approve.output.text}}")
      .chain("start", "approve")
      .edge("approve", "out", "approved")
      .build();
    const fake = memoryPorts();
    await runWorkflow(spec(g), fake.ports, never);
    expect(await runWorkflow(spec(g), fake.ports, never)).toEqual({ status: "waiting", waitingOn: ["approve"] });
    expect(fake.reviews.size).toBe(1);
    expect(fake.store.eventTypes("r1")).not.toContain("step.completed:approve");
  });

  it("a tool that needs approval keeps waiting and is not called", async () => {
    //  start ──> wipe (tool, needs approval) ──> out
    const g = graph()
      .start("start")
      .node("tool", "wipe", {
        tool: "files__delete",
        arguments: [{ name: "path", value: "/tmp/{{nodes.start.output.input}}" }],
      })
      .output("out", "{{nodes.wipe.output.text}}")
      .chain("start", "wipe", "out")
      .build();
    const calls: unknown[] = [];
    const fake = memoryPorts({ approvalTools: ["files__delete"], tool: (_t, args) => calls.push(args) });
    await runWorkflow(spec(g), fake.ports, never);
    expect(await runWorkflow(spec(g), fake.ports, never)).toEqual({ status: "waiting", waitingOn: ["wipe"] });
    expect(calls).toEqual([]);
    expect(fake.reviews.size).toBe(1);
  });

  it("an agent paused at a tool call keeps waiting, and goes on with the decision once there is one", async () => {
    //  start ──> agent (its tool call needs approval) ──> out
    const g = graph()
      .start("start")
      .agent("agent", "Tidy {{nodes.start.output.input}}")
      .output("out", "{{nodes.agent.output.text}}")
      .chain("start", "agent", "out")
      .build();
    const fake = memoryPorts();
    const requests: ModelRequest[] = [];
    const pending = { messages: ["so far"], approvalId: "a1", toolName: "files__delete", input: { path: "/tmp" } };
    const models = {
      async generate(request: ModelRequest) {
        requests.push(request);
        const usage = { inputTokens: 1, outputTokens: 1, costUsd: 0 };
        return request.resume
          ? { text: `resumed, approved: ${request.resume.approved}`, usage }
          : { text: "", usage, approval: pending };
      },
    };
    const ports = { ...fake.ports, models };
    expect(await runWorkflow(spec(g), ports, never)).toEqual({ status: "waiting", waitingOn: ["agent"] });
    expect(await runWorkflow(spec(g), ports, never)).toEqual({ status: "waiting", waitingOn: ["agent"] });
    expect(requests).toHaveLength(1); // the loop was not resumed without a decision
    expect(fake.reviews.size).toBe(1);
    fake.decide("review_1", { outcome: "approved", content: null, comment: "fine", reviewer: "rita" });
    expect(await runWorkflow(spec(g), ports, never)).toEqual({
      status: "completed",
      output: "resumed, approved: true",
    });
    expect(requests[1]).toMatchObject({
      instructions: "Tidy cats",
      resume: { pending, approved: true, reason: "fine", approver: "rita" },
    });
  });
});
