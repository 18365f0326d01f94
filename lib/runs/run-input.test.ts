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

describe("checkRunInput", () => {
  it("keeps the declared fields", () => {
    expect(checkRunInput(g, { topic: "moss", count: 3 })).toEqual({ topic: "moss", count: 3 });
    expect(checkRunInput(g, { topic: "moss" })).toEqual({ topic: "moss" });
  });
  it("names every wrong field", () => {
    try {
      checkRunInput(g, { count: "3", colour: "red" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).extra.fields).toEqual([
        { path: "body.input.topic", message: "is required" },
        { path: "body.input.count", message: "must be a number" },
        { path: "body.input.colour", message: "is not an input of this workflow" },
      ]);
    }
  });
});
