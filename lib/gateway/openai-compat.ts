import "server-only";
import type {
  JSONSchema7,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3FinishReason,
  LanguageModelV3Message,
  LanguageModelV3StreamPart,
} from "@ai-sdk/provider";
import { z } from "zod";
import type { Viewer } from "../auth/session";
import { AppError } from "../errors/app-error";
import { completionResponse, messageText, openAiError, usageOut } from "./openai-shapes";
import { workspaceGateway } from "./config";
import { passesThrough, passThrough } from "./pass-through";
import { governedModel, type Caller } from "./pipeline";

/**
 * The OpenAI-compatible door to the gateway (`/api/gateway/v1/chat/completions`): a chat
 * completion request becomes an AI SDK call on the governed model (same pipeline, same
 * ledger as workflows), and its answer goes back in OpenAI's shape, streamed as SSE chunks
 * or whole.
 */
const contentPart = z.object({ type: z.string(), text: z.string().optional() }).loose();
const toolCall = z.object({
  id: z.string(),
  type: z.literal("function").default("function"),
  function: z.object({ name: z.string(), arguments: z.string().default("{}") }),
});
const message = z.discriminatedUnion("role", [
  z.object({ role: z.enum(["system", "developer"]), content: z.union([z.string(), z.array(contentPart)]) }),
  z.object({
    role: z.literal("user"),
    content: z.union([z.string(), z.array(contentPart)]),
    name: z.string().optional(),
  }),
  z.object({
    role: z.literal("assistant"),
    content: z
      .union([z.string(), z.array(contentPart)])
      .nullable()
      .optional(),
    tool_calls: z.array(toolCall).optional(),
  }),
  z.object({ role: z.literal("tool"), content: z.union([z.string(), z.array(contentPart)]), tool_call_id: z.string() }),
]);

export const chatCompletionSchema = z
  .object({
    model: z.string().min(1, "Name a model (GET /v1/models lists yours)"),
    messages: z.array(message).min(1, "Send at least one message"),
    stream: z.boolean().default(false),
    stream_options: z.object({ include_usage: z.boolean().optional() }).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().optional(),
    max_tokens: z.number().int().positive().optional(),
    max_completion_tokens: z.number().int().positive().optional(),
    stop: z.union([z.string(), z.array(z.string())]).optional(),
    seed: z.number().int().optional(),
    tools: z
      .array(
        z.object({
          type: z.literal("function"),
          function: z.object({
            name: z.string(),
            description: z.string().optional(),
            parameters: z.record(z.string(), z.unknown()).optional(),
          }),
        }),
      )
      .optional(),
    tool_choice: z
      .union([
        z.enum(["auto", "none", "required"]),
        z.object({ type: z.literal("function"), function: z.object({ name: z.string() }) }),
      ])
      .optional(),
    response_format: z
      .union([
        z.object({ type: z.literal("text") }),
        z.object({ type: z.literal("json_object") }),
        z.object({
          type: z.literal("json_schema"),
          json_schema: z.object({
            name: z.string().optional(),
            description: z.string().optional(),
            schema: z.record(z.string(), z.unknown()).optional(),
            strict: z.boolean().optional(),
          }),
        }),
      ])
      .optional(),
  })
  .loose();
export type ChatCompletionRequest = z.infer<typeof chatCompletionSchema>;

export function toCallOptions(req: ChatCompletionRequest, signal: AbortSignal): LanguageModelV3CallOptions {
  const toolNames = new Map<string, string>();
  const prompt: LanguageModelV3Message[] = req.messages.map((m) => {
    switch (m.role) {
      case "system":
      case "developer":
        return { role: "system", content: messageText(m.content) };
      case "user":
        return { role: "user", content: [{ type: "text", text: messageText(m.content) }] };
      case "assistant": {
        const parts: Extract<LanguageModelV3Message, { role: "assistant" }>["content"] = [];
        const t = messageText(m.content);
        if (t) parts.push({ type: "text", text: t });
        for (const call of m.tool_calls ?? []) {
          toolNames.set(call.id, call.function.name);
          let input: unknown;
          try {
            input = JSON.parse(call.function.arguments || "{}");
          } catch {
            throw new AppError("bad_request", `messages: the arguments of tool call ${call.id} are not valid JSON.`);
          }
          parts.push({ type: "tool-call", toolCallId: call.id, toolName: call.function.name, input });
        }
        return { role: "assistant", content: parts };
      }
      case "tool":
        return {
          role: "tool",
          content: [
            {
              type: "tool-result",
              toolCallId: m.tool_call_id,
              toolName: toolNames.get(m.tool_call_id) ?? "tool",
              output: { type: "text", value: messageText(m.content) },
            },
          ],
        };
    }
  });
  const rf = req.response_format;
  return {
    prompt,
    abortSignal: signal,
    temperature: req.temperature,
    topP: req.top_p,
    maxOutputTokens: req.max_completion_tokens ?? req.max_tokens,
    stopSequences: typeof req.stop === "string" ? [req.stop] : req.stop,
    seed: req.seed,
    tools: req.tools?.map((t) => ({
      type: "function" as const,
      name: t.function.name,
      description: t.function.description,
      inputSchema: (t.function.parameters ?? { type: "object", properties: {} }) as JSONSchema7,
    })),
    toolChoice:
      req.tool_choice === undefined
        ? undefined
        : typeof req.tool_choice === "string"
          ? { type: req.tool_choice }
          : { type: "tool", toolName: req.tool_choice.function.name },
    responseFormat:
      !rf || rf.type === "text"
        ? undefined
        : rf.type === "json_object"
          ? { type: "json" }
          : { type: "json", schema: rf.json_schema.schema as JSONSchema7 | undefined, name: rf.json_schema.name },
  };
}

const finishReason = (f: LanguageModelV3FinishReason) =>
  ({
    stop: "stop",
    length: "length",
    "content-filter": "content_filter",
    "tool-calls": "tool_calls",
    error: "stop",
    other: "stop",
  })[f.unified];

export async function chatCompletion(
  viewer: Viewer,
  req: ChatCompletionRequest,
  signal: AbortSignal,
  /** Served by the fast lane (lib/api/read-body.ts): a whole answer is kept as text. */
  lane = false,
): Promise<Response> {
  const caller: Caller = {
    workspaceId: viewer.workspace.id,
    userId: viewer.user.id,
    role: viewer.role,
    apiKeyId: viewer.apiKeyId ?? null,
    source: "api",
    ...(viewer.applicationKey && { key: viewer.applicationKey }),
  };
  const options = toCallOptions(req, signal);
  const gateway = await workspaceGateway(caller.workspaceId);
  const alias = gateway.aliases.get(req.model);
  // Guardrail policies read and change what goes out and comes back: only the governed model does.
  if (alias && !gateway.policies.length && passesThrough(alias, req)) {
    try {
      return await passThrough(req, caller, options, signal, lane);
    } catch (error) {
      const mapped = openAiError(error);
      if (mapped) return mapped;
      throw error;
    }
  }
  const model = governedModel(req.model, caller);
  const id = `chatcmpl-${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
  const created = Math.floor(Date.now() / 1000);
  try {
    if (!req.stream) {
      const result = await model.doGenerate(options);
      const content = result.content
        .filter((c): c is Extract<LanguageModelV3Content, { type: "text" }> => c.type === "text")
        .map((c) => c.text)
        .join("");
      const calls = result.content.filter(
        (c): c is Extract<LanguageModelV3Content, { type: "tool-call" }> => c.type === "tool-call",
      );
      return completionResponse({
        lane,
        id,
        created,
        model: req.model,
        content,
        toolCalls: calls.map((c) => ({
          id: c.toolCallId,
          type: "function",
          function: { name: c.toolName, arguments: c.input },
        })),
        finishReason: finishReason(result.finishReason),
        usage: usageOut(result.usage.inputTokens.total ?? 0, result.usage.outputTokens.total ?? 0),
      });
    }
    const { stream } = await model.doStream(options);
    const encoder = new TextEncoder();
    const chunk = (delta: unknown, finish: string | null = null) =>
      encoder.encode(
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: req.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
      );
    let toolIndex = 0;
    const body = stream.pipeThrough(
      new TransformStream<LanguageModelV3StreamPart, Uint8Array>({
        start(c) {
          c.enqueue(chunk({ role: "assistant", content: "" }));
        },
        transform(part, c) {
          if (part.type === "text-delta") c.enqueue(chunk({ content: part.delta }));
          else if (part.type === "tool-call")
            c.enqueue(
              chunk({
                tool_calls: [
                  {
                    index: toolIndex++,
                    id: part.toolCallId,
                    type: "function",
                    function: { name: part.toolName, arguments: part.input },
                  },
                ],
              }),
            );
          else if (part.type === "error") {
            const message = part.error instanceof Error ? part.error.message : String(part.error);
            c.enqueue(
              encoder.encode(
                `data: ${JSON.stringify({ error: { message, type: "upstream_error", code: "upstream" } })}\n\n`,
              ),
            );
            c.terminate();
          } else if (part.type === "finish") {
            c.enqueue(chunk({}, finishReason(part.finishReason)));
            if (req.stream_options?.include_usage) {
              const prompt = part.usage.inputTokens.total ?? 0;
              const completion = part.usage.outputTokens.total ?? 0;
              c.enqueue(
                encoder.encode(
                  `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: req.model, choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } })}\n\n`,
                ),
              );
            }
            c.enqueue(encoder.encode("data: [DONE]\n\n"));
          }
        },
      }),
    );
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
      },
    });
  } catch (error) {
    const mapped = openAiError(error);
    if (mapped) return mapped;
    throw error;
  }
}
