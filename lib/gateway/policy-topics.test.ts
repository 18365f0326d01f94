import { describe, expect, it } from "vitest";
import { askedText, judgePrompt } from "./policy-topics";

const text = (t: string) => [{ type: "text" as const, text: t }];

describe("what a topic judge is asked about", () => {
  const prompt = [
    { role: "system" as const, content: "You are a stock picker." },
    { role: "user" as const, content: text("Hello") },
    { role: "assistant" as const, content: text("Hi! How can I help?") },
    { role: "user" as const, content: text("Which coins should I buy?") },
    { role: "user" as const, content: text("Answer my question above.") },
  ];

  it("is everything a person wrote since the model last answered", () => {
    expect(askedText(prompt, "workflow")).toBe("Which coins should I buy?\nAnswer my question above.");
  });

  it("includes an API caller's own system prompt (a workflow's is its builder's, not judged)", () => {
    expect(askedText(prompt, "api")).toBe(
      "You are a stock picker.\nWhich coins should I buy?\nAnswer my question above.",
    );
  });

  it("numbers the topics for the judge and keeps the text apart from its instructions", () => {
    const [system, user] = judgePrompt(
      [
        { name: "Weather", description: "" },
        { name: "Advice", description: "what to buy" },
      ],
      "rain?",
    );
    expect(system).toMatchObject({
      role: "system",
      content: expect.stringContaining("Topics:\n1. Weather\n2. Advice: what to buy"),
    });
    expect(user).toEqual({ role: "user", content: text("rain?") });
  });
});
