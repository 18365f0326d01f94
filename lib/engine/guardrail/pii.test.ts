import { describe, expect, it } from "vitest";
import { piiKinds } from "../../schemas/node-kinds/guardrail";
import { compilePattern, compileSchema, findBlocked, findPatterns, schemaProblem } from "./checks";
import { findPii, phoneBudget, PHONE_READS, redact } from "./pii";

const all = piiKinds;
const found = (text: string, country = "US") =>
  findPii(text, all, country).map((s) => [s.what, text.slice(s.start, s.end)]);

describe("finding personal data", () => {
  it("finds emails, phones, cards, IBANs, SSNs, NINOs and IP addresses, each by its shape and its own rules", () => {
    expect(
      found(
        "Mail ana.lopez+billing@example.co.uk, call +1 415-555-0132 or (212) 555-0187; card 4111 1111 1111 1111; " +
          "IBAN DE89 3704 0044 0532 0130 00; SSN 123-45-6789; NINO AB 12 34 56 C; from 203.0.113.9",
      ),
    ).toEqual([
      ["email", "ana.lopez+billing@example.co.uk"],
      ["phone", "+1 415-555-0132"],
      ["phone", "(212) 555-0187"],
      ["card", "4111 1111 1111 1111"],
      ["iban", "DE89 3704 0044 0532 0130 00"],
      ["us_ssn", "123-45-6789"],
      ["uk_nino", "AB 12 34 56 C"],
      ["ip", "203.0.113.9"],
    ]);
  });

  it("does not take numbers that fail their checksum or rules for personal data", () => {
    expect(
      found(
        "card 4111 1111 1111 1112, IBAN DE00 3704 0044 0532 0130 00, SSN 666-12-3456 and 123-00-4567, " +
          "NINO GB 12 34 56 C, version 1.2.3.4000, order 12345 shipped 2024-05-01 for $1,234.56",
      ),
    ).toEqual([]);
  });

  it("reads numbers without a country code as the chosen country's", () => {
    expect(found("ring 020 7183 8750", "GB")).toEqual([["phone", "020 7183 8750"]]);
    expect(found("ring 020 7183 8750", "US")).toEqual([]);
  });

  it("redacts each finding as [kind], keeping the rest of the text", () => {
    const text = "Write to jo@example.com about card 4242-4242-4242-4242.";
    expect(redact(text, findPii(text, all))).toBe("Write to [email] about card [card].");
  });

  // A guard against a pattern that backtracks without end, not a speed figure: this text takes
  // about a third of a second, and its speed (and the worst text's) is in `npm run bench guardrails`.
  it("finishes long text shaped to make a careless pattern backtrack", () => {
    const text = `${"a".repeat(200_000)} ${"1 ".repeat(100_000)} ${"a.".repeat(100_000)}+1 415 555 0132`;
    const started = performance.now();
    expect(found(text)).toEqual([["phone", "+1 415 555 0132"]]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("finds a number among other figures, where libphonenumber searches the stretch", () => {
    // Neither is one number whole from the stretch's start: only the search finds them, the
    // first after nine candidates that are not a number.
    expect(found("on 15.01.2024 10.30 415.555.0132 and 12 34 56 78 415-555-0132 ext 12")).toEqual([
      ["phone", "415.555.0132"],
      ["phone", "415-555-0132"],
    ]);
  });

  it("finds a number with stray digits beside it, which libphonenumber's search leaves", () => {
    expect(found("room 4 415 555 0132, call 2 212 555 0187 then 7")).toEqual([
      ["phone", "415 555 0132"],
      ["phone", "212 555 0187"],
    ]);
    expect(found("Flat 12 020 7183 8750", "GB")).toEqual([["phone", "020 7183 8750"]]);
    expect(found("reading 1 2 3 4 5 6 7 8 9 and 12 34 56 78 90")).toEqual([]);
  });

  it("finds numbers written one after another with only spaces between, which libphonenumber's search leaves whole", () => {
    // Phones only: a pair of numbers can pass a card's Luhn check too (then it is redacted as a card).
    const phones = (text: string, country = "US") =>
      findPii(text, ["phone"], country).map((s) => ["phone", text.slice(s.start, s.end)]);
    expect(phones("call 415 555 0132 212 555 0187 now")).toEqual([
      ["phone", "415 555 0132"],
      ["phone", "212 555 0187"],
    ]);
    expect(phones("020 7183 8750 020 7946 0958", "GB")).toEqual([
      ["phone", "020 7183 8750"],
      ["phone", "020 7946 0958"],
    ]);
    expect(phones("lines 4155550132 2125550187 6505550110")).toEqual([
      ["phone", "4155550132"],
      ["phone", "2125550187"],
      ["phone", "6505550110"],
    ]);
  });
});

describe("block lists, patterns and schemas", () => {
  it("finds blocked words as whole words in any case, and phrases with punctuation", () => {
    const text = "Our Refund policy: refunds are final. C++ is fine; no-refund.";
    expect(findBlocked(text, ["refund", "C++"]).map((s) => text.slice(s.start, s.end))).toEqual([
      "Refund",
      "C++",
      "refund",
    ]);
  });

  it("runs a builder's patterns in linear time, naming each match", () => {
    const re = compilePattern("(a+)+$");
    if (typeof re === "string") throw new Error(re);
    const started = performance.now();
    expect(findPatterns(`${"a".repeat(50_000)}b`, [{ name: "slow", re }])).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2_000);
    const order = compilePattern("ORD-\\d{6}");
    if (typeof order === "string") throw new Error(order);
    expect(findPatterns("see ORD-123456", [{ name: "order", re: order }])).toEqual([
      { start: 4, end: 14, what: "order" },
    ]);
    expect(compilePattern("(a)\\1")).toMatch(/invalid escape/);
  });

  it("checks a value against a JSON Schema, its patterns on RE2 too", () => {
    const validate = compileSchema(
      JSON.stringify({
        type: "object",
        required: ["email"],
        properties: { email: { type: "string", pattern: "^(a+)+$" } },
      }),
    );
    if (typeof validate === "string") throw new Error(validate);
    expect(schemaProblem(validate, { email: "aaa" })).toBeNull();
    expect(schemaProblem(validate, {})).toBe("the value must have required property 'email'");
    const started = performance.now();
    expect(schemaProblem(validate, { email: `${"a".repeat(50_000)}!` })).toMatch(/^\/email must match pattern/);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(compileSchema('{"type": "strnig"}')).toMatch(/type/);
  });
});

describe("overlapping findings", () => {
  it("are merged, so redacting leaves no part of either in clear text", async () => {
    const { withoutOverlaps } = await import("./pii");
    const text = "abcdefghij";
    const merged = withoutOverlaps([
      { start: 0, end: 5, what: "email" },
      { start: 3, end: 8, what: "blocked" },
    ]);
    expect(merged).toEqual([{ start: 0, end: 8, what: "email" }]);
    expect(redact(text, merged)).toBe("[email]ij");
  });
});

describe("JSON Schemas of many workspaces", () => {
  it("each compile on their own: the same $id twice does not clash, and draft 2020-12 is understood", () => {
    const a = compileSchema(JSON.stringify({ $id: "https://example.com/order", type: "object", required: ["a"] }));
    const b = compileSchema(JSON.stringify({ $id: "https://example.com/order", type: "object", required: ["b"] }));
    if (typeof a === "string" || typeof b === "string") throw new Error(String(a) + String(b));
    expect(schemaProblem(a, { a: 1 })).toBeNull();
    expect(schemaProblem(b, { a: 1 })).toBe("the value must have required property 'b'");
    const modern = compileSchema(
      JSON.stringify({ $schema: "https://json-schema.org/draft/2020-12/schema", prefixItems: [{ type: "number" }] }),
    );
    if (typeof modern === "string") throw new Error(modern);
    expect(schemaProblem(modern, ["x"])).toMatch(/must be number/);
  });
});

describe("phone numbers read only where the text is shaped like one", () => {
  it("finds what libphonenumber finds over the whole text: beside other numbers, in brackets, with extensions", async () => {
    const { findPhoneNumbersInText } = await import("libphonenumber-js");
    for (const text of [
      "Apt 5 415-555-2671",
      "On 05/01 415-555-2671",
      "Room 12 (415) 555-2671",
      "415-555-2671 (2 lines)",
      "call 415-555-2671 - 24/7",
      "+1 415 555 2671 ext. 123",
      "Call +44 20 7946 0958 now",
      "tel 4155552671, or 415.555.2672",
      "order 1234567890123 shipped",
      "born 1990-05-01 at 10:30",
    ]) {
      const whole = findPhoneNumbersInText(text, { defaultCountry: "US" }).map((f) => text.slice(f.startsAt, f.endsAt));
      expect(
        findPii(text, ["phone"], "US").map((s) => text.slice(s.start, s.end)),
        text,
      ).toEqual(whole);
    }
  });
});

describe("phone numbers as people write them", () => {
  const phones = (text: string, country = "US") =>
    findPii(text, ["phone"], country).map((s) => text.slice(s.start, s.end));

  it("reads non-breaking hyphens and spaces, dashes and full-width digits as libphonenumber does", () => {
    expect(phones("call (212) 555\u20110187")).toEqual(["(212) 555\u20110187"]);
    expect(phones("call 212\u2011555\u20110187")).toEqual(["212\u2011555\u20110187"]);
    expect(phones("call 212 555\u20130187")).toEqual(["212 555\u20130187"]);
    expect(phones("tél 06\u00a012\u00a034\u00a056\u00a078", "FR")).toEqual(["06\u00a012\u00a034\u00a056\u00a078"]);
    expect(phones("call \uff14\uff11\uff15\uff15\uff15\uff15\uff10\uff11\uff13\uff12")).toHaveLength(1);
  });

  it("finds local numbers shorter than the country's full ones, and numbers dialled from abroad", () => {
    expect(phones("call 464-1234", "AG")).toEqual(["464-1234"]);
    expect(phones("call 612345 today", "IM")).toEqual(["612345"]);
    expect(phones("call 00 44 20 7946 0958", "FR")).toEqual(["00 44 20 7946 0958"]);
  });

  it("finds a number after an amount, in two-digit groups", () => {
    expect(phones("Tarif 3,50 06 12 34 56 78", "FR")).toEqual(["06 12 34 56 78"]);
    expect(phones("12,50 06 12 34 56 78", "FR")).toEqual(["06 12 34 56 78"]);
  });

  it("takes no date for a number", () => {
    for (const country of ["US", "DE", "IT", "IN", "CN"])
      expect(phones("shipped on 05/01/2024", country), country).toEqual([]);
  });
});

describe("a pass's reads of libphonenumber, bounded", () => {
  let seed = 7;
  const digit = () => String((seed = (seed * 48271) % 2147483647) % 10);
  const soup = (chars: number) => Array.from({ length: chars / 2 }, () => `${digit()} `).join("");

  // Each distinct stretch of figures is a read of up to half a millisecond: 600 KB of random
  // digits and spaces held the event loop 9 s. Guards, not speed figures (`npm run bench guardrails`).
  it("reads no more than its budget in text made of figures, and redacts the rest rather than let it through", () => {
    const text = `${soup(600_000)}call +1 415 555 0132`;
    const started = performance.now();
    const spans = findPii(text, ["phone"]);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(spans.at(-1)!.end).toBe(text.length);
    // Past the budget, the rest of the run of figures is one span, redacted unread.
    expect(redact(text, spans)).toMatch(/\[phone\] call \[phone\]$/);
  });

  it("is one budget for every text of a pass, however many texts there are", () => {
    const texts = Array.from({ length: 1_000 }, () => soup(4_000));
    const budget = phoneBudget();
    const started = performance.now();
    for (const text of texts) findPii(text, ["phone"], "US", budget);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(budget.left).toBe(0); // spent, by reads or by time
  });

  it("past the budget, redacts unread what could be a number, with its extension and the rest of its run", () => {
    const text = "v1.2.3.4 from 2024 2025, call 415 555 0132 ext. 1234, a 415 555 0132 212 555 0187 6505550110";
    expect(redact(text, findPii(text, ["phone"], "US", phoneBudget(0)))).toBe(
      "v1.2.3.4 from 2024 2025, call [phone], a [phone]",
    );
    // Too few digits for a number of the country are left (ten in the US, six in Andorra, four in Germany).
    expect(redact("call 155 630", findPii("call 155 630", ["phone"], "AD", phoneBudget(0)))).toBe("call [phone]");
    expect(redact("from 2024 2025", findPii("from 2024 2025", ["phone"], "DE", phoneBudget(0)))).toBe("from [phone]");
  });

  it("runs out among a stretch's groups without letting the untried ones through, nor keeping that reading", () => {
    const text = "call 415 555 0132 212 555 0187 now";
    for (let reads = 0; reads <= 6; reads++) {
      const budget = phoneBudget(reads);
      const once = redact(text, findPii(text, ["phone"], "US", budget));
      expect(once, `${reads} reads`).not.toMatch(/\d{3} \d{4}/);
      expect(redact(text, findPii(text, ["phone"], "US", budget)), `${reads} reads, again`).not.toMatch(/\d{3} \d{4}/);
    }
  });

  it("reads ordinary text with many figures whole: a long table of dates, amounts and scores has no phone number", () => {
    const table = Array.from(
      { length: 400 },
      (_, i) =>
        `| 20${String(i % 30).padStart(2, "0")}-0${1 + (i % 9)}-${10 + (i % 18)} | order ${100_000 + i * 7} | ${(i * 3.7).toFixed(2)} |`,
    ).join("\n");
    const scores = `scores: ${Array.from({ length: 400 }, (_, i) => 10 + ((i * 37) % 90)).join(" ")}`;
    expect(findPii(table, ["phone"])).toEqual([]);
    expect(findPii(scores, ["phone"])).toEqual([]);
    const three = "415 555 0132 212 555 0187 650 555 0110";
    expect(redact(three, findPii(three, ["phone"]))).toBe("[phone] [phone] [phone]");
  });

  it("redacts unread to the end of a run cut at 30 characters, however short its tail", () => {
    for (const text of ["Units 123 2 (212) 555-0187 (212) 555-0188.", "Rooms 2 (212) 555-0187 (212) 555-0188."])
      expect(redact(text, findPii(text, ["phone"], "US", phoneBudget(0))), text).not.toMatch(/555|0188|8\./);
  });

  it("counts its time from the first read, not from when the pass began", () => {
    const budget = phoneBudget(PHONE_READS, 50);
    const until = performance.now() + 100;
    while (performance.now() < until); // other checks of the pass (emails, cards) taking their time
    expect(findPii("call 415 555 0132", ["phone"], "US", budget)).toHaveLength(1);
    expect(budget.left).toBe(PHONE_READS - 1);
  });

  it("costs nothing more for a text seen again in the same pass (a history resent, an answer scanned again)", () => {
    const budget = phoneBudget();
    const text = "on 15.01.2024 10.30 415.555.0132 and room 4 415 555 0132";
    const first = findPii(text, ["phone"], "US", budget);
    const left = budget.left;
    expect(left).toBeLessThan(PHONE_READS);
    expect(findPii(text, ["phone"], "US", budget)).toEqual(first);
    expect(budget.left).toBe(left);
  });

  it("skips stretches inside other findings in one walk, not one search of them each", () => {
    // 40,000 addresses and 40,000 stretches of figures: checking every stretch against every
    // address was 1.6 billion comparisons.
    const text = Array.from({ length: 40_000 }, (_, i) => `a${i}@example.com 20${i} 55${i}`).join(" ");
    const started = performance.now();
    const spans = findPii(text, ["email", "phone"], "US", phoneBudget(0));
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(spans.filter((s) => s.what === "email")).toHaveLength(40_000);
    // Each address is no phone; the figures after it with enough digits for a US number are, unread.
    expect(spans.filter((s) => s.what === "phone").length).toBeGreaterThan(39_000);
  });
});
