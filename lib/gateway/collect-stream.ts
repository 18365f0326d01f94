import type {
  LanguageModelV3Content,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
} from "@ai-sdk/provider";

/**
 * A generate result assembled from a model's stream: texts and reasoning joined per block in
 * the order they started, tool calls, sources and files as they came, the finish's reason and
 * usage. The gateway answers non-streamed calls this way so that it can cut off a provider
 * that ignores the output limit (which only a stream allows). An error part throws.
 */
export async function collectStream(result: LanguageModelV3StreamResult): Promise<LanguageModelV3GenerateResult> {
  const content: LanguageModelV3Content[] = [];
  const open = new Map<string, { type: "text" | "reasoning"; text: string }>();
  let finish: Extract<LanguageModelV3StreamPart, { type: "finish" }> | undefined;
  let warnings: LanguageModelV3GenerateResult["warnings"] = [];
  let metadata: Omit<Extract<LanguageModelV3StreamPart, { type: "response-metadata" }>, "type"> = {};
  const reader = result.stream.getReader();
  for (;;) {
    const { done, value: part } = await reader.read();
    if (done) break;
    switch (part.type) {
      case "stream-start":
        warnings = part.warnings;
        break;
      case "response-metadata": {
        const { type: _type, ...rest } = part;
        metadata = rest;
        break;
      }
      case "text-start":
      case "reasoning-start": {
        const block = { type: part.type === "text-start" ? ("text" as const) : ("reasoning" as const), text: "" };
        open.set(`${block.type}:${part.id}`, block);
        content.push(block);
        break;
      }
      case "text-delta":
      case "reasoning-delta": {
        const type = part.type === "text-delta" ? "text" : "reasoning";
        let block = open.get(`${type}:${part.id}`);
        if (!block) {
          // A provider that sends deltas without a start still gets its text kept.
          block = { type, text: "" };
          open.set(`${type}:${part.id}`, block);
          content.push(block);
        }
        block.text += part.delta;
        break;
      }
      case "tool-call":
      case "tool-result":
      case "tool-approval-request":
      case "file":
      case "source":
        content.push(part);
        break;
      case "finish":
        finish = part;
        break;
      case "error":
        throw part.error;
      default:
        break; // the ends of blocks, tool input as it streams, raw chunks
    }
  }
  if (!finish) throw new Error("The model's answer ended without finishing.");
  return {
    content,
    finishReason: finish.finishReason,
    usage: finish.usage,
    ...(finish.providerMetadata ? { providerMetadata: finish.providerMetadata } : {}),
    ...(result.request ? { request: result.request } : {}),
    response: { ...metadata, ...(result.response?.headers ? { headers: result.response.headers } : {}) },
    warnings,
  };
}
