import { describe, expect, it } from "vitest";
import type { WorkflowGraph, WorkflowNode } from "../../schemas/workflow";
import { planNext } from "../run/plan-next";
import { behindABranch, pinnedStart, referenceWaits } from "./pinned-steps";

const node = (id: string, kind: WorkflowNode["kind"], config: Record<string, unknown> = {}): WorkflowNode => ({
  id,
  kind,
  label: id,
  position: { x: 0, y: 0 },
  config,
});
const graph = (nodes: WorkflowNode[], edges: [string, string][]): WorkflowGraph => ({
  nodes,
  edges: edges.map(([source, target], i) => ({ id: `e${i}`, source, target })),
});
const plan = (g: WorkflowGraph, pins: Record<string, unknown>) =>
  Object.fromEntries(pinnedStart(g, pins, 1).map((s) => [s.nodeId, s.status]));

describe("pinnedStart", () => {
  // start → research → write → out
  const links: [string, string][] = [
    ["start", "research"],
    ["research", "write"],
    ["write", "out"],
  ];
  const chain = graph(
    [
      node("start", "start"),
      node("research", "agent", { instructions: "{{nodes.start.output.topic}}" }),
      node("write", "agent", { instructions: "{{nodes.research.output.text}}" }),
      node("out", "output", { value: "{{nodes.write.output.text}}" }),
    ],
    links,
  );

  it("marks a pinned step done with its output and leaves out the steps only it needs", () => {
    const steps = pinnedStart(chain, { research: { text: "pinned" } }, 5);
    expect(steps).toEqual([
      expect.objectContaining({ nodeId: "research", status: "done", output: { text: "pinned" }, startedAt: 5 }),
    ]);
    expect(plan(chain, { write: { text: "w" } })).toEqual({ write: "done", research: "skipped" });
  });

  it("keeps a step that a running step still names, or that leads to a step that runs", () => {
    const named = graph(
      [...chain.nodes.slice(0, 3), node("out", "output", { value: "{{nodes.research.output.text}}" })],
      links,
    );
    expect(plan(named, { write: {} })).toEqual({ write: "done" });
    // research also feeds "tag", which is not pinned.
    const branched = graph(
      [...chain.nodes, node("tag", "transform", { expression: "nodes.research.output" })],
      [...links, ["research", "tag"]],
    );
    expect(plan(branched, { write: {} })).toEqual({ write: "done" });
  });

  it("ignores pins of the Start step, of kinds that branch or wait for a person, and of unknown steps", () => {
    const reviewed = graph(
      [node("start", "start"), node("check", "human-review"), node("out", "output")],
      [
        ["start", "check"],
        ["check", "out"],
      ],
    );
    expect(plan(reviewed, { start: {}, check: {}, gone: {} })).toEqual({});
  });

  it("a step after a pin waits for the steps it reads, which edges no longer order", () => {
    // start → write → save (pinned) → out, and Out reads Write's text.
    const g = graph(
      [
        node("start", "start"),
        node("write", "agent", { instructions: "{{nodes.start.output.q}}" }),
        node("save", "tool"),
        node("out", "output", { value: "{{nodes.write.output.text}}" }),
      ],
      [
        ["start", "write"],
        ["write", "save"],
        ["save", "out"],
      ],
    );
    expect(referenceWaits(g).get("out")).toEqual(["write"]);
    const steps = new Map(pinnedStart(g, { save: {} }, 1).map((s) => [s.nodeId, s]));
    expect(planNext(g, steps).ready).toEqual(["start", "out"]);
    expect(planNext(g, steps, referenceWaits(g)).ready).toEqual(["start"]);
    steps.set("start", { nodeId: "start", kind: "start", attempt: 1, status: "done", startedAt: 1 });
    steps.set("write", { nodeId: "write", kind: "agent", attempt: 1, status: "done", startedAt: 1 });
    expect(planNext(g, steps, referenceWaits(g)).ready).toEqual(["out"]);
  });
});

describe("pins and branches", () => {
  // start → check (a condition) → [true] send (tool) → out; [false] skip-out
  const g = graph(
    [
      node("start", "start"),
      node("check", "condition"),
      node("send", "tool"),
      node("review", "human-review"),
      node("after", "tool"),
      node("out", "output"),
    ],
    [
      ["start", "check"],
      ["check", "send"],
      ["start", "review"],
      ["review", "after"],
      ["send", "out"],
      ["after", "out"],
    ],
  );
  g.edges[1]!.sourceHandle = "true";
  g.edges[3]!.sourceHandle = "approved";

  it("does not pin a step after a branch that runs: it is answered when the run gets there", () => {
    expect(plan(g, { send: {} })).toEqual({});
    expect(plan(g, { send: {}, after: {} })).toEqual({});
    expect(behindABranch(g, new Set(["send", "after"])).late).toEqual(new Set(["send", "after"]));
  });
});
