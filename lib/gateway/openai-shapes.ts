/** OpenAI's shapes of an answer, as the gateway's OpenAI-compatible door sends them. */
export interface ToolCallOut {
  id?: string;
  type: "function";
  function: { name: string; arguments: string };
}

export const usageOut = (inputTokens: number, outputTokens: number) => ({
  prompt_tokens: inputTokens,
  completion_tokens: outputTokens,
  total_tokens: inputTokens + outputTokens,
});

/** A whole chat completion (`stream: false`). */
export function completionResponse(answer: {
  id: string;
  created: number;
  model: string;
  content: string;
  reasoning?: string;
  toolCalls: ToolCallOut[];
  finishReason: string;
  usage?: ReturnType<typeof usageOut>;
}): Response {
  const { toolCalls: calls } = answer;
  return Response.json({
    id: answer.id,
    object: "chat.completion",
    created: answer.created,
    model: answer.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: calls.length && !answer.content ? null : answer.content,
          ...(answer.reasoning ? { reasoning_content: answer.reasoning } : {}),
          ...(calls.length ? { tool_calls: calls } : {}),
        },
        finish_reason: answer.finishReason,
      },
    ],
    usage: answer.usage,
  });
}
