import { describe, expect, it } from "vitest";
import { policyRulesSchema } from "../schemas/guardrail-policy";
import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { AnswerRedactor, redactAnswers } from "./policy-answers";
import { guardCall } from "./policy-guard";

const policy = (rules: Record<string, unknown>) => ({ id: "p", name: "P", rules: policyRulesSchema.parse(rules) });
const pii = policy({ pii: { kinds: ["email", "phone", "card"] }, blockedTerms: ["kraken"] });

describe("AnswerRedactor", () => {
  const text =
    "Mail ada.lovelace@example.com or call +1 415 555 0132; the card 4111 1111 1111 1111 is on file. " +
    "x".repeat(300) +
    " Kraken says hi, grace@example.org.";
  const whole =
    "Mail [email] or call [phone]; the card [card] is on file. " + "x".repeat(300) + " [blocked] says hi, [email].";

  it("redacts what a delta split in two, however the answer is cut", () => {
    for (const size of [1, 3, 7, 64, 1000]) {
      const r = new AnswerRedactor([pii]);
      let out = "";
      for (let i = 0; i < text.length; i += size) out += r.push(text.slice(i, i + size));
      out += r.flush();
      expect(out, `deltas of ${size}`).toBe(whole);
      expect(r.findings().map((f) => [f.kind, f.detail])).toEqual([
        ["pii-answer", "email ×2, phone, card"],
        ["blocked-answer", "1 blocked term"],
      ]);
    }
  });

  it("holds back only the last stretch of a long answer", () => {
    const r = new AnswerRedactor([pii]);
    expect(r.push("y".repeat(300))).toBe("");
    expect(r.push("y".repeat(700))).toHaveLength(1000 - 256);
  });
});

describe("guardCall", () => {
  it("refuses a blocked term the caller wrote, and redacts one a tool returned", () => {
    const call = (content: string, role: "user" | "tool") =>
      guardCall([pii], {
        prompt:
          role === "user"
            ? [{ role, content: [{ type: "text", text: content }] }]
            : [
                { role: "user", content: [{ type: "text", text: "look it up" }] },
                {
                  role,
                  content: [
                    {
                      type: "tool-result",
                      toolCallId: "1",
                      toolName: "t",
                      output: { type: "json", value: { note: content } },
                    },
                  ],
                },
              ],
      });
    expect(call("tell me about the kraken", "user").refused).toMatch(/refused this call/);
    const fromTool = call("the kraken, at bob@example.com", "tool");
    expect(fromTool.refused).toBeNull();
    expect(JSON.stringify(fromTool.options.prompt[1])).toContain('"note":"the [blocked], at [email]"');
  });

  it("refuses only for the newest message: a blocked term in an earlier turn or the run so far is redacted", () => {
    const text = (t: string) => [{ type: "text" as const, text: t }];
    const call = guardCall([pii], {
      prompt: [
        { role: "system", content: "The run so far: the kraken report." },
        { role: "user", content: text("kraken?") },
        {
          role: "assistant",
          content: [{ type: "tool-call", toolCallId: "1", toolName: "mail", input: { to: "bob@example.com" } }],
        },
        {
          role: "tool",
          content: [
            {
              type: "tool-result",
              toolCallId: "1",
              toolName: "mail",
              output: { type: "content", value: [{ type: "text", text: "sent to bob@example.com" }] },
            },
          ],
        },
        { role: "user", content: text("thanks") },
      ],
    });
    expect(call.refused).toBeNull();
    const sent = JSON.stringify(call.options.prompt);
    expect(sent).not.toMatch(/kraken|bob@example\.com/);
    expect(sent).toContain("[blocked]?");
    // Only what is new since the model's last turn is counted: the tool's result.
    expect(call.findings.map((f) => [f.kind, f.detail])).toEqual([["pii-prompt", "email"]]);
  });

  it("takes the tools away once the model made the most tool calls since the last message", () => {
    const tools = [{ type: "function" as const, name: "t", inputSchema: { type: "object" as const } }];
    const callPart = (id: string) => ({ type: "tool-call" as const, toolCallId: id, toolName: "t", input: "{}" });
    const prompt = (calls: number) => [
      { role: "user" as const, content: [{ type: "text" as const, text: "go" }] },
      ...Array.from({ length: calls }, (_, i) => ({ role: "assistant" as const, content: [callPart(String(i))] })),
    ];
    const capped = [policy({ maxToolCalls: 2 })];
    expect(guardCall(capped, { prompt: prompt(1), tools }).options.tools).toEqual(tools);
    const stopped = guardCall(capped, { prompt: prompt(2), tools, toolChoice: { type: "auto" } });
    // The tools stay (providers want them while the conversation holds tool calls); none may be used.
    expect(stopped.options.tools).toEqual(tools);
    expect(stopped.options.toolChoice).toEqual({ type: "none" });
    expect(stopped.findings[0]).toMatchObject({ kind: "tool-calls", action: "stopped" });
  });

  it("reads a body of many texts of figures within one budget, redacting what it cannot read", () => {
    // 500 messages of 4 KB of digits and spaces: each text read on its own budget held the event loop for half a minute.
    let seed = 11;
    const digits = () => Array.from({ length: 2_000 }, () => `${(seed = (seed * 48271) % 2147483647) % 10} `).join("");
    const prompt = Array.from({ length: 500 }, () => ({
      role: "user" as const,
      content: [{ type: "text" as const, text: digits() }],
    }));
    prompt.push({ role: "user", content: [{ type: "text", text: "call me on 415 555 0132" }] });
    const started = performance.now();
    const guarded = guardCall([pii], { prompt });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(guarded.refused).toBeNull();
    expect(JSON.stringify(guarded.options.prompt.at(-1))).toContain("call me on [phone]");
    expect(JSON.stringify(guarded.options.prompt)).not.toContain("415 555 0132");
  });
});

describe("redactAnswers", () => {
  const parts: LanguageModelV3StreamPart[] = [
    { type: "reasoning-start", id: "r" },
    { type: "reasoning-delta", id: "r", delta: "the user is ada@exa" },
    { type: "reasoning-delta", id: "r", delta: "mple.com" },
    { type: "reasoning-end", id: "r" },
    { type: "tool-input-start", id: "t", toolName: "mail" },
    { type: "tool-input-delta", id: "t", delta: '{"to":"ada@example.com"}' },
    { type: "tool-input-end", id: "t" },
    { type: "tool-call", toolCallId: "t", toolName: "mail", input: '{"to":"ada@example.com"}' },
    { type: "text-start", id: "a" },
    { type: "text-delta", id: "a", delta: "Mailed ada@example.com." },
    { type: "text-end", id: "a" },
  ];
  const source = () =>
    new ReadableStream<LanguageModelV3StreamPart>({
      start: (c) => (parts.forEach((p) => c.enqueue(p)), c.close()),
    });

  it("redacts reasoning, tool inputs and text, and reports once at the end", async () => {
    const reports: string[][] = [];
    const out: LanguageModelV3StreamPart[] = [];
    const reader = redactAnswers(source(), [pii], (f) => reports.push(f.map((x) => x.detail))).getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) out.push(r.value);
    const seen = JSON.stringify(out);
    expect(seen).not.toContain("ada@example.com");
    expect(seen.match(/\[email\]/g)).toHaveLength(4);
    expect(reports).toEqual([["email ×4"]]);
  });

  it("reports what it did when the caller stops reading", async () => {
    const reports: number[] = [];
    const reader = redactAnswers(source(), [pii], (f) => reports.push(f.length)).getReader();
    await reader.read();
    await reader.cancel("stop");
    expect(reports).toHaveLength(1);
  });
});
