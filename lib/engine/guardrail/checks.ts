import Ajv, { type ValidateFunction } from "ajv";
import Ajv2019 from "ajv/dist/2019";
import Ajv2020 from "ajv/dist/2020";
import { RE2JS } from "re2js";
import type { Span } from "./pii";

/**
 * The guardrail's rule-based checks besides personal data. Every regular expression, the
 * builder's and a JSON Schema's `pattern`, runs on RE2 (re2js): linear time, so no pattern and
 * no text can make a step backtrack for minutes.
 */

function spansOf(re: RE2JS, text: string, what: (match: string) => string): Span[] {
  const spans: Span[] = [];
  const m = re.matcher(text);
  while (m.find()) {
    if (m.end() === m.start()) continue; // an empty match finds nothing to flag or redact
    spans.push({ start: m.start(), end: m.end(), what: what(m.group() ?? "") });
  }
  return spans;
}

const wordChar = /\w/;

/** Compiled term lists, by the list (a policy's is the same array on every call): compiling 200 terms costs ~10 ms. */
const compiledTerms = new WeakMap<readonly string[], RE2JS>();

/** Occurrences of blocked words and phrases: whole words, in any case. */
export function findBlocked(text: string, terms: readonly string[]): Span[] {
  if (!terms.length) return [];
  let re = compiledTerms.get(terms);
  if (!re) {
    const alternatives = terms.map(
      (t) => `${wordChar.test(t[0]!) ? "\\b" : ""}${RE2JS.quote(t)}${wordChar.test(t[t.length - 1]!) ? "\\b" : ""}`,
    );
    re = RE2JS.compile(`(?:${alternatives.join("|")})`, RE2JS.CASE_INSENSITIVE);
    compiledTerms.set(terms, re);
  }
  return spansOf(re, text, () => "blocked");
}

/** Compiles a builder's pattern on RE2, or says why it cannot be. */
export function compilePattern(source: string): RE2JS | string {
  try {
    return RE2JS.compile(source);
  } catch (error) {
    return (error as Error).message.replace(/^error parsing regexp: /, "");
  }
}

/** Where each pattern matches, flagged under its name. */
export function findPatterns(text: string, patterns: readonly { name: string; re: RE2JS }[]): Span[] {
  return patterns.flatMap((p) => spansOf(p.re, text, () => p.name));
}

/** JSON Schema `pattern` keywords on RE2, not the backtracking RegExp. */
const re2Engine = Object.assign(
  (pattern: string, flags: string) => {
    const re = RE2JS.compile(pattern, flags.includes("i") ? RE2JS.CASE_INSENSITIVE : 0);
    return { test: (s: string) => re.matcher(s).find() };
  },
  { code: 'require("re2js")' },
);

const compiled = new Map<string, ValidateFunction | string>();

/** The validator for a schema's dialect: draft 2020-12, 2019-09, or draft-07 (the default). */
function validatorFor(schema: { $schema?: unknown }) {
  const options = {
    strict: false,
    allErrors: false,
    validateFormats: false,
    code: { regExp: re2Engine },
    // A schema's $id is its own: never registered where another schema could clash with or $ref it.
    addUsedSchema: false,
  };
  const dialect = typeof schema.$schema === "string" ? schema.$schema : "";
  if (dialect.includes("2020-12")) return new Ajv2020(options);
  if (dialect.includes("2019-09")) return new Ajv2019(options);
  return new Ajv(options);
}

/**
 * Compiles a JSON Schema (kept for the next run: at most 200 different ones, each with a
 * validator of its own, so one workspace's schema never meets another's) or says why it cannot
 * be compiled.
 */
export function compileSchema(text: string): ValidateFunction | string {
  let entry = compiled.get(text);
  if (entry === undefined) {
    try {
      const schema = JSON.parse(text) as { $schema?: unknown };
      entry = validatorFor(schema).compile(schema as object);
    } catch (error) {
      entry = (error as Error).message;
    }
    if (compiled.size >= 200) compiled.delete(compiled.keys().next().value!);
    compiled.set(text, entry);
  }
  return entry;
}

/** Why `value` does not match the schema (the first problem, naming where), or null when it does. */
export function schemaProblem(validate: ValidateFunction, value: unknown): string | null {
  if (validate(value)) return null;
  const error = validate.errors?.[0];
  if (!error) return "does not match the schema";
  return `${error.instancePath || "the value"} ${error.message ?? "does not match"}`.trim();
}
