import { APICallError } from "@ai-sdk/provider";
import { jsonResponse } from "../api/read-body";
import { AppError } from "../errors/app-error";
import { GatewayError } from "./errors";
import { describeFailure } from "./routing";

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
  /** Served by the fast lane: the text kept whole, no body stream (lib/api/read-body.ts). */
  lane?: boolean;
}): Response {
  const { toolCalls: calls } = answer;
  const text = JSON.stringify({
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
  return jsonResponse(text, !!answer.lane);
}

/** A message's text: a string, or its text parts joined (any other part is refused, naming it). */
export function messageText(content: string | { type: string; text?: string }[] | null | undefined): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  const other = content.find((p) => p.type !== "text");
  if (other)
    throw new AppError("bad_request", `messages: content of type “${other.type}” is not supported here; send text.`);
  return content.map((p) => p.text ?? "").join("");
}

/** An OpenAI-shaped error response (status, and Retry-After for limits). */
export function openAiError(error: unknown): Response | null {
  // A provider's refusal no deployment could get past: its 4xx is the request's fault, the rest a bad gateway.
  if (APICallError.isInstance(error)) {
    const own = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500;
    return Response.json(
      {
        error: {
          message: `The provider refused the call: ${describeFailure(error)}`,
          type: own ? "invalid_request_error" : "upstream_error",
          code: own ? "bad_request" : "upstream",
        },
      },
      { status: own ? 400 : 502 },
    );
  }
  if (!(error instanceof GatewayError)) return null;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (error.retryAfterSeconds) headers["retry-after"] = String(error.retryAfterSeconds);
  const type = {
    rate_limited: "rate_limit_exceeded",
    budget_exceeded: "insufficient_quota",
    access_denied: "permission_denied",
    model_unknown: "model_not_found",
    unsupported: "invalid_request_error",
    upstream: "upstream_error",
    policy_refused: "content_policy_violation",
  }[error.code];
  return new Response(JSON.stringify({ error: { message: error.message, type, code: error.code } }), {
    status: error.status,
    headers,
  });
}
