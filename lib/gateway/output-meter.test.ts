import { countTokens } from "gpt-tokenizer";
import { describe, expect, it } from "vitest";
import { OutputMeter } from "./output-meter";

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i} `);

describe("OutputMeter", () => {
  it("passes an answer under the limit whole, and counts it exactly", () => {
    const meter = new OutputMeter(1000);
    const pieces = words(20);
    for (const piece of pieces) expect(meter.take(piece)).toBe(piece);
    expect(meter.tokens).toBe(countTokens(pieces.join("")));
  });

  it("passes an answer more bytes long than the limit but under it in tokens, whole", () => {
    const pieces = ["hi ", "there, ", "this ", "is ", "a ", "short ", "answer"];
    const meter = new OutputMeter(20);
    for (const piece of pieces) expect(meter.take(piece)).toBe(piece);
    expect(meter.full).toBe(false);
    expect(meter.tokens).toBeGreaterThanOrEqual(countTokens(pieces.join("")));
    expect(meter.tokens).toBeLessThan(20);
  });

  it("cuts an answer at exactly the limit, however it is split", () => {
    for (const limit of [1, 5, 17]) {
      const meter = new OutputMeter(limit);
      const kept = words(40)
        .map((piece) => meter.take(piece))
        .filter((k): k is string => k !== null)
        .join("");
      expect(countTokens(kept)).toBe(limit);
      expect(meter.tokens).toBe(limit);
    }
  });

  it("counts a special token's spelling in an answer as text, and cuts it like any other", () => {
    const meter = new OutputMeter(3);
    const kept = ["Done <|endoftext|>", " and more <|im_end|> text"].map((p) => meter.take(p) ?? "").join("");
    expect(countTokens(kept, { disallowedSpecial: new Set() })).toBe(3);
    expect(meter.full).toBe(true);
    expect(new OutputMeter(100).tokensOfAll()).toBe(0);
  });

  it("counts characters of several bytes (each may be a token of its own) against the limit", () => {
    const meter = new OutputMeter(4);
    const kept = ["🙂🙂", "🙂🙂", "🙂🙂"].map((p) => meter.take(p) ?? "").join("");
    expect(countTokens(kept)).toBeLessThanOrEqual(4);
    expect(kept.length).toBeGreaterThan(0);
  });
});
