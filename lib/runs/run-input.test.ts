import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error";
import { graph } from "../engine/graph/graph-builder.test-support";
import { checkRunInput } from "./run-input";

const g = graph()
  .start("start", {
    fields: [
      { name: "topic", type: "string", required: true, description: "" },
      { name: "count", type: "number", required: false, description: "" },
    ],
  })
  .build();

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  return expect.unreachable();
}

describe("checkRunInput", () => {
  it("keeps the declared fields", () => {
    expect(checkRunInput(g, { topic: "moss", count: 3 })).toEqual({ topic: "moss", count: 3 });
    expect(checkRunInput(g, { topic: "moss" })).toEqual({ topic: "moss" });
  });
  it("names every wrong field", () => {
    const e = refusal(() => checkRunInput(g, { count: "3", colour: "red" }));
    expect(e.message).toBe("body.input.topic: is required");
    expect(e.extra.fields).toEqual([
      { path: "body.input.topic", message: "is required" },
      { path: "body.input.count", message: "must be a number" },
      { path: "body.input.colour", message: "is not an input of this workflow" },
    ]);
  });
  it("reads the Start fields as the Start step does: a field saved without `required` is required", () => {
    const bare = graph()
      .start("start", { fields: [{ name: "topic" }] })
      .build();
    expect(refusal(() => checkRunInput(bare, {})).extra.fields).toEqual([
      { path: "body.input.topic", message: "is required" },
    ]);
  });
  it("takes no input when the graph has no Start node", () => {
    expect(checkRunInput(graph().build(), {})).toEqual({});
    expect(refusal(() => checkRunInput(graph().build(), { topic: "moss" })).message).toBe(
      "body.input.topic: is not an input of this workflow",
    );
  });
});
