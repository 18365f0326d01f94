import { describe, expect, it } from "vitest";
import { graph } from "../graph/graph-builder.test-support";
import type { ReviewDecision, ReviewQueue } from "../ports";
import { memoryPorts } from "../testing/memory-ports";
import { runWorkflow } from "./run-workflow";

const never = new AbortController().signal;

//  start ─> draft ─> approve ─(approved)─> send (tool) ─> ok
//                            └(rejected)─> no
const g = graph()
  .start("start")
  .agent("draft", "write")
  .node("human-review", "approve", {
    instructions: "Check",
    content: "{{nodes.draft.output.text}}",
    reviewerRole: "REVIEWER",
    reviewerEmail: "",
    editable: true,
    outcomes: [],
    allowSelfApproval: false,
  })
  .node("tool", "send", { tool: "mail__send", arguments: [{ name: "body", value: "{{nodes.approve.output.text}}" }] })
  .output("ok", "{{nodes.send.output.text}}")
  .output("no", "not sent")
  .chain("start", "draft", "approve")
  .edge("approve", "send", "approved")
  .chain("send", "ok")
  .edge("approve", "no", "rejected")
  .build();

/** A review queue that decides every review at once with `outcome`, as an evaluation's does. */
function decidingAtOnce(outcome: string): ReviewQueue & { asked: number } {
  const decided = new Map<string, ReviewDecision>();
  const queue = {
    asked: 0,
    decidesAtOnce: true,
    async request(review: { content: unknown }) {
      const id = `self_${++queue.asked}`;
      decided.set(id, { outcome, content: review.content, comment: "", reviewer: "the evaluation" });
      return id;
    },
    async decision(id: string) {
      return decided.get(id) ?? null;
    },
  };
  return queue;
}

describe("steps answered without running them, and reviews a run decides itself", () => {
  it("a review decided at once goes on in the same visit, and a stand-in after its branch answers the tool", async () => {
    const fake = memoryPorts({
      tool: () => {
        throw new Error("the tool must not be called");
      },
    });
    const reviews = decidingAtOnce("approved");
    const outcome = await runWorkflow(
      {
        runId: "r1",
        graph: g,
        input: { input: "cats" },
        depth: 0,
        standIns: { send: { as: "pinned", output: { text: "sent (pinned)" }, handle: null } },
      },
      { ...fake.ports, reviews },
      never,
    );
    expect(outcome).toEqual({ status: "completed", output: "sent (pinned)" });
    expect(reviews.asked).toBe(1);
    const approve = (await fake.store.steps("r1")).find((s) => s.nodeId === "approve")!;
    expect(approve).toMatchObject({ status: "done", handle: "approved", output: { reviewer: "the evaluation" } });
    const sent = fake.store.events.find((e) => e.event.type === "step.completed" && e.event.nodeId === "send");
    expect(sent?.event.payload).toMatchObject({
      reused: true,
      pinned: true,
    });
    expect(fake.store.eventTypes("r1")).not.toContain("step.waiting:approve");
  });

  it("a refused stand-in fails the run with its reason only when the run reaches it", async () => {
    const refused = { send: { as: "refused" as const, reason: "Nothing answers the tool step “send”." } };
    const run = (outcome: string) =>
      runWorkflow(
        { runId: `r-${outcome}`, graph: g, input: { input: "cats" }, depth: 0, standIns: refused },
        { ...memoryPorts().ports, reviews: decidingAtOnce(outcome) },
        never,
      );
    expect(await run("rejected")).toEqual({ status: "completed", output: "not sent" });
    expect(await run("approved")).toMatchObject({
      status: "failed",
      error: "send failed: Nothing answers the tool step “send”.",
      nodeId: "send",
    });
  });

  it("a refused stand-in fails the run even when the step would carry on along its error branch", async () => {
    const line = graph()
      .start("start")
      .node("tool", "send", { tool: "mail__send", arguments: [] })
      .output("out", "sent")
      .output("fallback", "fell back")
      .chain("start", "send", "out")
      .edge("send", "fallback", "error")
      .build();
    line.nodes.find((n) => n.id === "send")!.settings = { onError: "branch" };
    const outcome = await runWorkflow(
      {
        runId: "r1",
        graph: line,
        input: { input: "cats" },
        depth: 0,
        standIns: { send: { as: "refused", reason: "Nothing answers it." } },
      },
      memoryPorts().ports,
      never,
    );
    expect(outcome).toMatchObject({ status: "failed", nodeId: "send" });
  });

  it("a review waiting on a queue that decides at once and has forgotten it (another process) is asked again", async () => {
    const fake = memoryPorts();
    const first = { runId: "r1", graph: g, input: { input: "cats" }, depth: 0 };
    expect((await runWorkflow(first, fake.ports, never)).status).toBe("waiting");
    const reviews = decidingAtOnce("rejected");
    expect(await runWorkflow(first, { ...fake.ports, reviews }, never)).toEqual({
      status: "completed",
      output: "not sent",
    });
    expect(reviews.asked).toBe(1);
  });

  it("without a queue that decides at once, a review still waits for a person", async () => {
    const fake = memoryPorts();
    const outcome = await runWorkflow({ runId: "r1", graph: g, input: { input: "cats" }, depth: 0 }, fake.ports, never);
    expect(outcome).toEqual({ status: "waiting", waitingOn: ["approve"] });
  });
});
