import { describe, expect, it } from "vitest";
import { findUnstorable, MAX_JSON_DEPTH, unstorableText } from "./storable";

/** `{ a: { a: … 1 } }` with `levels` objects. */
const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

describe("what PostgreSQL cannot store, found before it is sent", () => {
  it("accepts ordinary text, emoji (paired surrogates) and other scripts", () => {
    for (const text of ["", "plain", "Zoë 😀 東京 \u{1F9EA}", "tab\tnewline\n", "\uFFFD"])
      expect(unstorableText(text)).toBeNull();
    expect(findUnstorable({ name: "😀", tags: ["a", "東京"], n: 1, ok: true, none: null }, "body")).toBeNull();
  });

  it("names the field holding a NUL character, in a value or a key, at any depth", () => {
    expect(findUnstorable({ name: "a\u0000b" }, "body")).toEqual({
      path: "body.name",
      message: expect.stringMatching(/NUL character/),
    });
    expect(findUnstorable({ graph: { nodes: [{ id: "n" }, { label: "x\0" }] } }, "body")?.path).toBe(
      "body.graph.nodes.1.label",
    );
    expect(findUnstorable({ input: { "bad\0key": 1 } }, "body")).toEqual({
      path: "body.input.bad\\u0000key",
      message: expect.stringMatching(/^the key contains a NUL/),
    });
    expect(findUnstorable({ id: "\0" }, "params")?.path).toBe("params.id");
  });

  it("names the field holding an unpaired surrogate, high or low, alone or at either end", () => {
    for (const text of ["\uD800", "a\uD83Db", "\uDC00x", "x\uDE00", "😀\uDE00", "\uD83D\uD83D\uDE00"])
      expect(unstorableText(text), JSON.stringify(text)).toMatch(/unpaired surrogate/);
    expect(findUnstorable({ workflow: "\uDC00" }, "query")).toEqual({
      path: "query.workflow",
      message: expect.stringMatching(/unpaired surrogate \(\\udc00\)/),
    });
  });

  it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses one more, naming where it starts`, () => {
    // The body is level 1; `input` holds the rest.
    expect(findUnstorable({ input: nested(MAX_JSON_DEPTH - 1) }, "body")).toBeNull();
    const problem = findUnstorable({ input: nested(MAX_JSON_DEPTH) }, "body");
    expect(problem?.path).toBe("body.input.a.a.a.a.a");
    expect(problem?.message).toMatch(new RegExp(`nested more than ${MAX_JSON_DEPTH} levels deep`));
    // Arrays count as levels too.
    const arrays = JSON.parse("[".repeat(MAX_JSON_DEPTH + 1) + "]".repeat(MAX_JSON_DEPTH + 1)) as unknown;
    expect(findUnstorable({ input: arrays }, "body")?.path).toBe("body.input.0.0.0.0.0");
  });

  it("walks a body nested 100,000 levels deep without overflowing the stack", () => {
    const deep = JSON.parse("[".repeat(100_000) + "]".repeat(100_000)) as unknown;
    expect(findUnstorable(deep, "body")?.message).toMatch(/nested more than/);
  });
});
