import { describe, expect, it } from "vitest";
import { memoryPorts } from "../engine/testing/memory-ports";
import { runWorkflow } from "../engine/run/run-workflow";
import { workflowTemplates } from "../workflows/templates";
import { chooseOption, namedOptions } from "./demo-choice";
import { DemoLanguageModel } from "./demo-model";

const model = new DemoLanguageModel(0);
const ask = async (text: string, schema?: Record<string, unknown>) => {
  const result = await model.doGenerate({
    prompt: [{ role: "user", content: [{ type: "text", text }] }],
    ...(schema ? { responseFormat: { type: "json" as const, schema } } : {}),
  });
  return result.content.map((c) => (c.type === "text" ? c.text : "")).join("");
};
const classify = (request: string) => ask(`Answer with one word, billing or other: ${request}`);

describe("the demo model's choice among the options the instructions name", () => {
  it("reads the options and the input from the instructions", () => {
    expect(namedOptions("Answer with one word, billing or other: Where is my invoice?")).toEqual({
      options: ["billing", "other"],
      input: "Where is my invoice?",
    });
    expect(namedOptions("Reply with one of: low, medium, high or urgent. The server is down")).toEqual({
      options: ["low", "medium", "high", "urgent"],
      input: "The server is down",
    });
    expect(namedOptions("Summarise this text: billing or other things")).toBeUndefined();
  });

  it("takes the one option the input names", async () => {
    expect(await classify("A question about my billing statement")).toBe("[Simulated demo model] billing");
    expect(await classify("Something other than money")).toBe("[Simulated demo model] other");
  });

  it("picks by the input, the same for the same input, and every option for some input", async () => {
    const inputs = ["How do I reset my password?", "Can you help me plan a trip?", "Refund please", "Hours?"];
    const answers = await Promise.all(inputs.map(classify));
    expect(await Promise.all(inputs.map(classify))).toEqual(answers);
    expect(new Set(answers)).toEqual(new Set(["[Simulated demo model] billing", "[Simulated demo model] other"]));
    const options = ["a", "b", "c"];
    const picked = new Set(Array.from({ length: 30 }, (_, i) => chooseOption(options, `input ${i}`)));
    expect(picked).toEqual(new Set(options));
  });

  it("picks an enum's value of a JSON answer from the prompt too", async () => {
    const schema = { type: "object", properties: { kind: { type: "string", enum: ["billing", "other"] } } };
    expect(JSON.parse(await ask("Classify: my billing is wrong", schema))).toEqual({ kind: "billing" });
    expect(JSON.parse(await ask("Classify: tell me about other plans", schema))).toEqual({ kind: "other" });
  });

  it("still echoes a prompt that names no options", async () => {
    expect(await ask("Draft a reply")).toBe("[Simulated demo model] Response to: “Draft a reply”.");
  });
});

describe('the "Classify and route" template with the demo model', () => {
  //                                   ┌─(billing)─> billing ──> billing_answer
  //  start ──> classify ──> route ────┤
  //                                   └─(else)────> general ──> general_answer
  const template = workflowTemplates.find((t) => t.id === "classify-route")!;
  const run = async (request: string) => {
    const { ports, store } = memoryPorts({ answer: (r) => ask(r.instructions) });
    const result = await runWorkflow(
      { runId: "r1", graph: template.graph, input: { request }, depth: 0 },
      ports,
      new AbortController().signal,
    );
    expect(result.status).toBe("completed");
    return store.eventTypes("r1").filter((e) => e.startsWith("step.completed:"));
  };

  it("takes the billing branch for one input and the other branch for another", async () => {
    const billing = await run("A question about my billing statement");
    expect(billing).toContain("step.completed:billing_answer");
    expect(billing).not.toContain("step.completed:general_answer");
    const general = await run("Can you help me plan a trip?");
    expect(general).toContain("step.completed:general_answer");
    expect(general).not.toContain("step.completed:billing_answer");
  });
});

describe("the demo model in a chat", () => {
  it("says what the person said before this message, and that it had a summary", async () => {
    const result = await model.doGenerate({
      prompt: [
        { role: "system", content: "Earlier in this conversation (a summary):\nAda likes kelp." },
        { role: "user", content: [{ type: "text", text: "My name is Ada" }] },
        { role: "assistant", content: [{ type: "text", text: "Hello Ada" }] },
        { role: "user", content: [{ type: "text", text: "What is my name?" }] },
      ],
    });
    const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("");
    expect(text).toBe(
      "[Simulated demo model] Response to: “What is my name?”. Before this you said “My name is Ada”. I had a summary of what came before.",
    );
  });
});
