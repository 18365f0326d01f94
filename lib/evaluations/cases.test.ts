import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error";
import { parseCases } from "./cases";

/** The problems a file's import is refused with (it must be refused). */
function refusal(format: "csv" | "jsonl", text: string): { message: string; fields: { path: string }[] } {
  try {
    parseCases(format, text);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { message: error.message, fields: (error.extra.fields ?? []) as { path: string }[] };
  }
  throw new Error("the import was not refused");
}

describe("importing cases", () => {
  it("names the line of a JSONL case holding what the database cannot store (it was a 500)", () => {
    const text = ['{"input":{"q":"fine"}}', '{"input":{"q":"bad \\u0000 text"}}', '{"input":{"q":"\\ud800"}}'].join(
      "\n",
    );
    const { message, fields } = refusal("jsonl", text);
    expect(message).toMatch(/^line 2\.input\.q: /);
    expect(fields.map((f) => f.path)).toEqual(["line 2.input.q", "line 3.input.q"]);
  });

  it("names a JSONL case nested too deep, and a CSV row holding a NUL", () => {
    const deep = `{"input":{},"expected":${"[".repeat(80)}${"]".repeat(80)}}`;
    expect(refusal("jsonl", deep).fields[0]!.path).toMatch(/^line 1\.expected/);
    expect(refusal("csv", "q,expected\nok,yes\nbad \u0000,no\n").fields[0]!.path).toBe("row 3.q");
  });

  it("takes cases that are fine", () => {
    expect(parseCases("jsonl", '{"input":{"q":"ok"},"expected":"yes"}')).toEqual([
      { input: { q: "ok" }, expected: "yes", rubric: "" },
    ]);
  });
});
