import { describe, expect, it } from "vitest";
import { score, type Judge } from "./evaluators";

const sample = (output: unknown, expected?: unknown, rubric = "") => ({ output, expected, input: { q: "x" }, rubric });
const noJudge: Judge = () => Promise.reject(new Error("not asked"));
const pass = async (...args: Parameters<typeof score>) => (await score(...args)).pass;

describe("evaluators", () => {
  it("exact and contains compare with the expected output, and fail without one", async () => {
    expect(await pass({ kind: "exact" }, sample(" Paris ", "Paris"), noJudge)).toBe(true);
    expect(await pass({ kind: "exact" }, sample("Paris, France", "Paris"), noJudge)).toBe(false);
    expect(await pass({ kind: "contains" }, sample("It is PARIS.", "paris"), noJudge)).toBe(true);
    expect((await score({ kind: "contains" }, sample("Paris"), noJudge)).reason).toBe(
      "The case has no expected output.",
    );
    expect(await pass({ kind: "exact" }, sample({ a: 1 }, { a: 1 }), noJudge)).toBe(true);
  });

  it("regex, JSON Schema and JSONata judge the output alone", async () => {
    expect(await pass({ kind: "regex", pattern: "^\\d{3}-\\d{4}$" }, sample("555-1234"), noJudge)).toBe(true);
    expect((await score({ kind: "regex", pattern: "(" }, sample("x"), noJudge)).reason).toMatch(/cannot be used/);
    const schema = JSON.stringify({ type: "object", required: ["city"] });
    expect(await pass({ kind: "json-schema", schema }, sample('{"city":"Oslo"}'), noJudge)).toBe(true);
    expect((await score({ kind: "json-schema", schema }, sample({}), noJudge)).reason).toMatch(/city/);
    expect(await pass({ kind: "jsonata", expression: "$length(output) < 10" }, sample("short"), noJudge)).toBe(true);
    expect(await pass({ kind: "jsonata", expression: "output = expected" }, sample("a", "b"), noJudge)).toBe(false);
    expect((await score({ kind: "jsonata", expression: "$$$(" }, sample("a"), noJudge)).reason).toMatch(/failed/);
  });

  it("numeric allows its tolerance, and names what is not a number", async () => {
    expect(await pass({ kind: "numeric", tolerance: 0.5 }, sample("10.4", 10), noJudge)).toBe(true);
    expect((await score({ kind: "numeric", tolerance: 0.5 }, sample("11", 10), noJudge)).reason).toBe(
      "Off by 1 (at most 0.5).",
    );
    expect((await score({ kind: "numeric", tolerance: 1 }, sample("ten", 10), noJudge)).reason).toBe(
      "The output is not a number.",
    );
  });

  it("the judge scores by the case's rubric first, passing at its score, and fails when it cannot answer", async () => {
    const asked: string[] = [];
    const judge: Judge = async (_model, rubric) => (asked.push(rubric), { score: 0.8, reason: "clear" });
    const j = { kind: "judge" as const, model: "m", rubric: "Be kind", passScore: 0.9 };
    expect(await score(j, sample("hi", undefined, "Be brief"), judge)).toEqual({
      evaluator: "judge",
      pass: false,
      score: 0.8,
      reason: "clear",
    });
    expect(await pass({ ...j, passScore: 0.5 }, sample("hi"), judge)).toBe(true);
    expect(asked).toEqual(["Be brief", "Be kind"]);
    expect((await score(j, sample("hi"), noJudge)).reason).toBe("The judge could not answer: not asked");
  });
});
