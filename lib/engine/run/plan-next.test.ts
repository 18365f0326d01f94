import { describe, expect, it } from "vitest";
import type { WorkflowGraph, WorkflowNode } from "../../schemas/workflow";
import type { StepRecord } from "../ports";
import { Planner, planNext } from "./plan-next";

const node = (id: string, kind: WorkflowNode["kind"] = "agent"): WorkflowNode => ({
  id,
  kind,
  label: id,
  position: { x: 0, y: 0 },
  config: {},
});
const graph = (ids: [string, WorkflowNode["kind"]][], edges: [string, string, string?][]): WorkflowGraph => ({
  nodes: ids.map(([id, kind]) => node(id, kind)),
  edges: edges.map(([source, target, sourceHandle], i) => ({ id: `e${i}`, source, target, sourceHandle })),
});
const record = (nodeId: string, status: StepRecord["status"], handle?: string): StepRecord => ({
  nodeId,
  kind: "agent",
  attempt: 1,
  status,
  handle,
  startedAt: 0,
});

/** Runs the graph as the engine's loop does: every ready node starts and settles as `settle` says. */
function drive(g: WorkflowGraph, settle: (id: string) => StepRecord, steps = new Map<string, StepRecord>()) {
  const planner = new Planner(g);
  const order: string[] = [];
  for (;;) {
    const plan = planner.next(steps);
    // The pure function agrees with the planner at every step.
    expect(planNext(g, steps)).toEqual(plan);
    for (const id of plan.skip) {
      steps.set(id, record(id, "skipped"));
      planner.settled(id);
    }
    if (!plan.ready.length && !plan.skip.length) return order;
    for (const id of plan.ready) {
      order.push(id);
      steps.set(id, settle(id));
      planner.settled(id);
    }
  }
}

describe("Planner", () => {
  it("runs a branch and its join, and skips the branch not taken", () => {
    // start → check → (yes) a → join; (no) b → join
    const g = graph(
      [
        ["start", "start"],
        ["check", "condition"],
        ["a", "agent"],
        ["b", "agent"],
        ["join", "output"],
      ],
      [
        ["start", "check"],
        ["check", "a", "true"],
        ["check", "b", "false"],
        ["a", "join"],
        ["b", "join"],
      ],
    );
    const steps = new Map<string, StepRecord>();
    const order = drive(g, (id) => record(id, "done", id === "check" ? "true" : undefined), steps);
    expect(order).toEqual(["start", "check", "a", "join"]);
    expect(steps.get("b")?.status).toBe("skipped");
  });

  it("starts parallel branches together, in the graph's order", () => {
    const g = graph(
      [
        ["start", "start"],
        ["x", "agent"],
        ["y", "agent"],
        ["z", "agent"],
      ],
      [
        ["start", "z"],
        ["start", "x"],
        ["start", "y"],
      ],
    );
    const planner = new Planner(g);
    const steps = new Map<string, StepRecord>();
    expect(planner.next(steps).ready).toEqual(["start"]);
    steps.set("start", record("start", "done"));
    planner.settled("start");
    expect(planner.next(steps).ready).toEqual(["x", "y", "z"]);
  });

  it("does as much work per step in a chain of 2,000 steps as in one of 20", () => {
    // Lookups of the run's steps, counted: looking at every node after every step made a chain's
    // planning grow with the square of its length.
    const lookupsPerStep = (n: number) => {
      const ids: [string, WorkflowNode["kind"]][] = [["start", "start"]];
      for (let i = 1; i <= n; i += 1) ids.push([`s${i}`, "agent"]);
      const g = graph(
        ids,
        ids.slice(1).map(([id], i) => [ids[i]![0], id]),
      );
      let lookups = 0;
      class Counted extends Map<string, StepRecord> {
        override get(key: string) {
          lookups += 1;
          return super.get(key);
        }
        override has(key: string) {
          lookups += 1;
          return super.has(key);
        }
      }
      const planner = new Planner(g);
      const steps = new Counted();
      for (let plan = planner.next(steps); plan.ready.length; plan = planner.next(steps))
        for (const id of plan.ready) {
          steps.set(id, record(id, "done"));
          planner.settled(id);
        }
      expect(steps.size).toBe(n + 1);
      return lookups / n;
    };
    expect(lookupsPerStep(2000)).toBeLessThanOrEqual(lookupsPerStep(20) * 1.1);
  });

  it("holds a step that reads another by reference until that one has run", () => {
    // A pinned run: "write" reads "research" by reference, though no edge leads from it.
    const g = graph(
      [
        ["start", "start"],
        ["research", "agent"],
        ["write", "agent"],
      ],
      [
        ["start", "research"],
        ["start", "write"],
      ],
    );
    const waits = new Map([["write", ["research"]]]);
    const planner = new Planner(g, waits);
    const steps = new Map([["start", record("start", "done")]]);
    expect(planner.next(steps).ready).toEqual(["research"]);
    // Running is not run: "write" would read nothing.
    steps.set("research", record("research", "running"));
    expect(planNext(g, steps, waits).ready).toEqual([]);
    // Nor is paused (waiting for an approval): it has not run yet either.
    steps.set("research", record("research", "waiting"));
    planner.settled("research");
    expect(planner.next(steps).ready).toEqual([]);
    steps.set("research", record("research", "done"));
    planner.settled("research");
    expect(planner.next(steps).ready).toEqual(["write"]);
  });
});
