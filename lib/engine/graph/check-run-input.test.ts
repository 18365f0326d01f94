import { describe, expect, it } from "vitest";
import { checkRunInput, type StartField } from "./check-run-input";

const field = (name: string, type: StartField["type"], required = true) => ({ name, type, required });

describe("checkRunInput", () => {
  it("keeps the declared values and leaves out an empty optional one", () => {
    const fields = [
      field("topic", "string"),
      field("count", "number", false),
      field("strict", "boolean"),
      field("extra", "json"),
    ];
    expect(checkRunInput(fields, { topic: "moss", count: "", strict: false, extra: [1, { a: 2 }] })).toEqual({
      value: { topic: "moss", strict: false, extra: [1, { a: 2 }] },
      problems: [],
    });
  });

  it("names every problem: in field order, then the keys no field declares", () => {
    const fields = [
      field("topic", "text"),
      field("count", "number"),
      field("strict", "boolean"),
      field("note", "string"),
    ];
    expect(checkRunInput(fields, { colour: "red", count: "3", strict: "yes", note: 4 }).problems).toEqual([
      { field: "topic", kind: "missing", message: "is required" },
      { field: "count", kind: "wrong-type", message: "must be a number" },
      { field: "strict", kind: "wrong-type", message: "must be true or false" },
      { field: "note", kind: "wrong-type", message: "must be text" },
      { field: "colour", kind: "undeclared", message: "is not an input of this workflow" },
    ]);
  });

  it("counts null and the empty string as missing, and refuses a number that is not finite", () => {
    const fields = [field("a", "string"), field("b", "string"), field("n", "number")];
    expect(checkRunInput(fields, { a: null, b: "", n: Number.NaN }).problems.map((p) => [p.field, p.kind])).toEqual([
      ["a", "missing"],
      ["b", "missing"],
      ["n", "wrong-type"],
    ]);
  });
});
