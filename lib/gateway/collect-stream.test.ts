import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { collectStream } from "./collect-stream";

const streamOf = (parts: LanguageModelV3StreamPart[]) => ({
  stream: new ReadableStream<LanguageModelV3StreamPart>({
    start: (c) => (parts.forEach((p) => c.enqueue(p)), c.close()),
  }),
});
const usage = {
  inputTokens: { total: 3, noCache: 3, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 4, text: 4, reasoning: 0 },
};

describe("collectStream", () => {
  it("joins each text and reasoning block in the order they started, keeps tool calls, reason and usage", async () => {
    const result = await collectStream(
      streamOf([
        { type: "stream-start", warnings: [] },
        { type: "response-metadata", id: "r1", modelId: "m" },
        { type: "reasoning-start", id: "r" },
        { type: "text-start", id: "t" },
        { type: "reasoning-delta", id: "r", delta: "think " },
        { type: "text-delta", id: "t", delta: "Hello " },
        { type: "reasoning-delta", id: "r", delta: "more" },
        { type: "text-delta", id: "t", delta: "world" },
        { type: "text-end", id: "t" },
        { type: "tool-call", toolCallId: "c1", toolName: "lookup", input: '{"q":1}' },
        { type: "finish", usage, finishReason: { unified: "tool-calls", raw: "tool_calls" } },
      ]),
    );
    expect(result.content).toEqual([
      { type: "reasoning", text: "think more" },
      { type: "text", text: "Hello world" },
      { type: "tool-call", toolCallId: "c1", toolName: "lookup", input: '{"q":1}' },
    ]);
    expect(result.finishReason.unified).toBe("tool-calls");
    expect(result.usage).toEqual(usage);
    expect(result.response).toMatchObject({ id: "r1", modelId: "m" });
  });

  it("keeps text sent without a start", async () => {
    const result = await collectStream(
      streamOf([
        { type: "text-delta", id: "x", delta: "bare" },
        { type: "finish", usage, finishReason: { unified: "stop", raw: "stop" } },
      ]),
    );
    expect(result.content).toEqual([{ type: "text", text: "bare" }]);
  });

  it("throws the error a stream carries, and says so when a stream ends without finishing", async () => {
    await expect(collectStream(streamOf([{ type: "error", error: new Error("broke") }]))).rejects.toThrow("broke");
    await expect(collectStream(streamOf([{ type: "text-delta", id: "x", delta: "cut" }]))).rejects.toThrow(
      /ended without finishing/,
    );
  });
});
