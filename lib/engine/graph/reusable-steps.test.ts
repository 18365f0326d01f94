import { describe, expect, it } from "vitest";
import { graph } from "./graph-builder.test-support";
import { reusableSteps } from "./reusable-steps";

//  start ──> a ──> b ──> c ──> out      (the old run failed at c)
const old = () =>
  graph().start("start").agent("a").agent("b").agent("c").output("out").chain("start", "a", "b", "c", "out").build();
const finished = new Set(["start", "a", "b"]);

describe("reusableSteps", () => {
  it("reuses every finished step of an unchanged graph", () => {
    expect([...reusableSteps(old(), old(), finished)].sort()).toEqual(["a", "b", "start"]);
  });
  it("reruns a changed step and everything after it", () => {
    const fixed = old();
    fixed.nodes[2]!.config = { ...fixed.nodes[2]!.config, instructions: "better" }; // b changed
    expect([...reusableSteps(old(), fixed, finished)].sort()).toEqual(["a", "start"]);
  });
  it("reruns a step whose inputs were rewired", () => {
    const rewired = graph()
      .start("start")
      .agent("a")
      .agent("b")
      .agent("c")
      .output("out")
      .edge("start", "a")
      .edge("start", "b")
      .chain("b", "c", "out")
      .build();
    expect([...reusableSteps(old(), rewired, finished)].sort()).toEqual(["a", "start"]);
  });
});
