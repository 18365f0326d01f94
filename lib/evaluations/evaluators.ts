import { evaluateExpression } from "../engine/expression/evaluate-expression";
import { compilePattern, compileSchema, schemaProblem } from "../engine/guardrail/checks";
import type { Evaluator, Score } from "../schemas/evaluations";

/** What an evaluator looks at: the run's output, and the case. */
export interface Sample {
  output: unknown;
  expected: unknown;
  input: Record<string, unknown>;
  rubric: string;
}

/** A model's verdict on a text by a rubric (through the gateway: governed and costed). */
export type Judge = (model: string, rubric: string, text: string) => Promise<{ score: number; reason: string }>;

/** A value as the text evaluators compare: text as it is, anything else as compact JSON. */
export const textOf = (value: unknown): string =>
  typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value);

const verdict = (evaluator: Evaluator["kind"], pass: boolean, reason: string, score = pass ? 1 : 0): Score => ({
  evaluator,
  pass,
  score,
  reason,
});
const clip = (text: string) => (text.length > 80 ? `${text.slice(0, 80)}…` : text);

/** One evaluator's verdict on one sample. Never throws for a bad output: it fails, saying why. */
export async function score(evaluator: Evaluator, sample: Sample, judge: Judge): Promise<Score> {
  const out = textOf(sample.output);
  const hasExpected = sample.expected !== undefined && sample.expected !== null;
  const expected = textOf(sample.expected);
  switch (evaluator.kind) {
    case "exact":
      if (!hasExpected) return verdict("exact", false, "The case has no expected output.");
      return out.trim() === expected.trim()
        ? verdict("exact", true, "Same as expected.")
        : verdict("exact", false, `Expected “${clip(expected)}”, got “${clip(out)}”.`);
    case "contains":
      if (!hasExpected) return verdict("contains", false, "The case has no expected output.");
      return out.toLowerCase().includes(expected.toLowerCase())
        ? verdict("contains", true, `Contains “${clip(expected)}”.`)
        : verdict("contains", false, `Does not contain “${clip(expected)}”.`);
    case "regex": {
      const re = compilePattern(evaluator.pattern);
      if (typeof re === "string") return verdict("regex", false, `The pattern cannot be used: ${re}.`);
      return re.matcher(out).find()
        ? verdict("regex", true, `Matches ${evaluator.pattern}.`)
        : verdict("regex", false, `Does not match ${evaluator.pattern}.`);
    }
    case "json-schema": {
      const validate = compileSchema(evaluator.schema);
      if (typeof validate === "string") return verdict("json-schema", false, `The schema cannot be used: ${validate}.`);
      let value = sample.output;
      if (typeof value === "string")
        try {
          value = JSON.parse(value);
        } catch {
          return verdict("json-schema", false, "The output is not JSON.");
        }
      const problem = schemaProblem(validate, value);
      return problem ? verdict("json-schema", false, problem) : verdict("json-schema", true, "Fits the schema.");
    }
    case "jsonata":
      try {
        const result = await evaluateExpression(evaluator.expression, {
          output: sample.output,
          expected: sample.expected,
          input: sample.input,
        });
        return result === true
          ? verdict("jsonata", true, "The check is true.")
          : verdict("jsonata", false, `The check gave ${clip(JSON.stringify(result) ?? "nothing")}.`);
      } catch (error) {
        return verdict("jsonata", false, `The check failed: ${(error as Error).message}`);
      }
    case "numeric": {
      const [a, b] = [Number(out.trim()), Number(expected.trim())];
      if (!hasExpected || !Number.isFinite(b)) return verdict("numeric", false, "The expected output is not a number.");
      if (!out.trim() || !Number.isFinite(a)) return verdict("numeric", false, "The output is not a number.");
      const off = Math.abs(a - b);
      return off <= evaluator.tolerance
        ? verdict("numeric", true, `Within ${evaluator.tolerance} of ${b}.`)
        : verdict("numeric", false, `Off by ${off} (at most ${evaluator.tolerance}).`);
    }
    case "judge": {
      const rubric = sample.rubric.trim() || evaluator.rubric.trim();
      if (!rubric) return verdict("judge", false, "Neither the case nor the evaluator has a rubric.");
      try {
        const { score: s, reason } = await judge(evaluator.model, rubric, out);
        return verdict("judge", s >= evaluator.passScore, reason, s);
      } catch (error) {
        return verdict("judge", false, `The judge could not answer: ${(error as Error).message}`);
      }
    }
  }
}
