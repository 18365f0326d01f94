import "server-only";
import { APICallError } from "@ai-sdk/provider";
import { createParser } from "eventsource-parser";
import { Agent, request } from "undici";
import { processSingleton } from "../process/singleton";
import { admit, finish, type Caller, type Outcome } from "./admission";
import type { AliasConfig, DeploymentConfig } from "./config";
import type { ChatCompletionRequest } from "./openai-compat";
import { completionResponse, usageOut, type ToolCallOut } from "./openai-shapes";
import { OutputMeter } from "./output-meter";
import { allFailed, linkedAbort, route, timeoutRace } from "./pipeline";
import { describeFailure } from "./routing";
import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";

/**
 * The OpenAI-compatible door's short way to an OpenAI-shaped provider: the same admission
 * (access, capabilities, rate limits, budget), routing (weights, fallbacks before the first
 * token, cooldowns, first-token timeouts), output limit and ledger as every governed call, but
 * the provider's chunks are passed on as they come (re-labelled with the alias) instead of going
 * through the AI SDK's model and back. The SDK's parsing and stream plumbing cost about a
 * millisecond a call; this costs a JSON parse per chunk. Other providers, and calls the answer
 * cache may serve, take the governed model (`./pipeline.ts`).
 */
const OPENAI_BASE = "https://api.openai.com/v1";
const agent = () => processSingleton("gateway-agent", () => new Agent({ keepAliveTimeout: 30_000, pipelining: 1 }));

/** Whether the short way serves this call: every deployment speaks OpenAI's protocol, and no cache applies. */
export function passesThrough(alias: AliasConfig, req: ChatCompletionRequest): boolean {
  if (alias.cacheTtlSeconds > 0 && req.temperature === 0) return false;
  return (
    alias.deployments.length > 0 &&
    alias.deployments.every((d) => d.provider.kind === "OPENAI_COMPATIBLE" || d.provider.kind === "OPENAI")
  );
}

interface Chunk {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  choices?: {
    index?: number;
    delta?: {
      role?: string;
      content?: string | null;
      reasoning_content?: string | null;
      tool_calls?: { index?: number; id?: string; type?: string; function?: { name?: string; arguments?: string } }[];
    };
    finish_reason?: string | null;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: unknown;
}

const textOf = (content: string | { type: string; text?: string }[] | null | undefined) =>
  typeof content === "string" ? content : (content ?? []).map((p) => p.text ?? "").join("");

/** OpenAI's reasoning models refuse sampling settings (the AI SDK leaves them out too). */
const reasoningModel = (d: DeploymentConfig) => d.provider.kind === "OPENAI" && /^(o\d|gpt-5(?!-chat))/.test(d.modelId);

/**
 * What the provider is sent: the call's known fields only, messages rebuilt from what was
 * validated (text only, as admission counted it; "developer" as "system"), no `n` (one answer
 * is what the budget reserved), and the output limit the call reserved.
 */
function upstreamBody(req: ChatCompletionRequest, d: DeploymentConfig, outputLimit: number): string {
  const messages = req.messages.map((m) => {
    switch (m.role) {
      case "system":
      case "developer":
        return { role: "system", content: textOf(m.content) };
      case "user":
        return { role: "user", content: textOf(m.content), ...(m.name ? { name: m.name } : {}) };
      case "assistant":
        return {
          role: "assistant",
          content: m.tool_calls?.length && !textOf(m.content) ? null : textOf(m.content),
          ...(m.tool_calls?.length ? { tool_calls: m.tool_calls } : {}),
        };
      case "tool":
        return { role: "tool", content: textOf(m.content), tool_call_id: m.tool_call_id };
    }
  });
  const rf = req.response_format;
  const limitField = d.provider.kind === "OPENAI" || req.max_completion_tokens ? "max_completion_tokens" : "max_tokens";
  const sampling = reasoningModel(d) ? {} : { temperature: req.temperature, top_p: req.top_p };
  return JSON.stringify({
    model: d.modelId,
    messages,
    ...sampling,
    stop: req.stop,
    seed: req.seed,
    tools: req.tools,
    tool_choice: req.tool_choice,
    response_format:
      rf?.type === "json_schema"
        ? { type: "json_schema", json_schema: { ...rf.json_schema, name: rf.json_schema.name ?? "response" } }
        : rf,
    [limitField]: outputLimit,
    stream: true,
    stream_options: { include_usage: true },
  });
}

/** One provider's stream of chunks, read from undici's body through an SSE parser. */
function chunksOf(body: AsyncIterable<Buffer>): () => Promise<Chunk | null> {
  const events: string[] = [];
  const parser = createParser({ onEvent: (e) => void events.push(e.data) });
  const decoder = new TextDecoder();
  const it = body[Symbol.asyncIterator]();
  return async () => {
    for (;;) {
      const data = events.shift();
      if (data !== undefined) {
        if (data === "[DONE]") return null;
        const chunk = JSON.parse(data) as Chunk;
        if (chunk.error) throw new Error(`the provider sent an error: ${JSON.stringify(chunk.error).slice(0, 300)}`);
        return chunk;
      }
      const { value, done } = await it.next();
      if (done) return null;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  };
}

const isSocketError = (error: unknown) =>
  /^UND_ERR_|^ECONN|^EPIPE$/.test(String((error as { code?: unknown })?.code ?? ""));

const isContent = (c: Chunk) => {
  const choice = c.choices?.[0];
  const delta = choice?.delta;
  return !!(delta?.content || delta?.reasoning_content || delta?.tool_calls?.length || choice?.finish_reason);
};

/** Opens the provider's stream and reads it as far as its first content; throws what routing retries on. */
async function open(d: DeploymentConfig, body: string, signal: AbortSignal) {
  const url = `${(d.provider.baseUrl || (d.provider.kind === "OPENAI" ? OPENAI_BASE : "")).replace(/\/+$/, "")}/chat/completions`;
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "text/event-stream",
        ...(d.provider.apiKey ? { authorization: `Bearer ${d.provider.apiKey}` } : {}),
      },
      body,
      signal,
      dispatcher: agent(),
    });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new APICallError({
      message: `Cannot connect to the provider: ${(error as Error).message}`,
      url,
      requestBodyValues: {},
      cause: error,
      isRetryable: true,
    });
  }
  // Its errors reach whoever reads it; one nobody reads on (the client went away) is no crash.
  res.body.on("error", () => undefined);
  if (res.statusCode < 200 || res.statusCode >= 300) {
    const text = (await res.body.text().catch(() => "")).slice(0, 2000);
    let message = text || `HTTP ${res.statusCode}`;
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // not JSON: the text is the message
    }
    throw new APICallError({
      message: res.statusCode < 300 ? message : `${message} (the provider answered ${res.statusCode})`,
      url,
      requestBodyValues: {},
      statusCode: res.statusCode,
      responseBody: text,
      isRetryable: res.statusCode === 408 || res.statusCode === 429 || res.statusCode >= 500,
    });
  }
  if (!String(res.headers["content-type"] ?? "").startsWith("text/event-stream")) {
    res.body.destroy();
    throw new APICallError({
      message: `The provider answered ${res.headers["content-type"] ?? "no content type"}, not a stream of events.`,
      url,
      requestBodyValues: {},
      statusCode: res.statusCode,
      isRetryable: false,
    });
  }
  const next = chunksOf(res.body);
  const head: Chunk[] = [];
  try {
    for (;;) {
      const chunk = await next();
      if (!chunk) break;
      head.push(chunk);
      if (isContent(chunk)) break;
    }
  } catch (error) {
    // The connection broke before the first token: another deployment may take the call.
    res.body.destroy();
    if (signal.aborted || !isSocketError(error)) throw error;
    throw new APICallError({
      message: `The provider's answer broke off before its first token: ${(error as Error).message}`,
      url,
      requestBodyValues: {},
      cause: error,
      isRetryable: true,
    });
  }
  return { head, next, close: () => res.body.destroy() };
}

/**
 * A chat completion over the short way, answered in OpenAI's shape: streamed as SSE chunks, or
 * whole. Admission refusals and routing failures throw GatewayError, as the governed model does.
 */
export async function passThrough(
  req: ChatCompletionRequest,
  caller: Caller,
  options: LanguageModelV3CallOptions,
  signal: AbortSignal,
): Promise<Response> {
  const adm = await admit(req.model, caller, options);
  let settled = false;
  const done = (outcome: Outcome) => {
    if (settled) return;
    settled = true;
    finish(adm, caller, outcome);
  };
  let routed: Awaited<ReturnType<typeof route<Awaited<ReturnType<typeof open>>>>>;
  try {
    routed = await route(adm, options, (d) => {
      const controller = linkedAbort(signal);
      return timeoutRace(
        d.timeoutSeconds,
        controller,
        open(d, upstreamBody(req, d, adm.outputLimit), controller.signal),
      );
    });
    if ("errors" in routed) throw allFailed(req.model, routed.errors);
  } catch (error) {
    done({ status: "error", error: describeFailure(error) });
    throw error;
  }
  const { deployment, value: upstream } = routed;
  const ttftMs = performance.now() - adm.started;
  const id = `chatcmpl-${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
  const created = Math.floor(Date.now() / 1000);
  const meter = new OutputMeter(adm.outputLimit);
  let usage: { inputTokens: number; outputTokens: number } | undefined;
  let failure: string | undefined;
  let cut = false;

  /** The chunk as the client gets it (alias, our id), its output metered and cut at the limit. */
  const relabel = (chunk: Chunk): Chunk => {
    if (chunk.usage)
      usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
    const out = { ...chunk, id, created, model: req.model };
    const delta = chunk.choices?.[0]?.delta;
    if (delta && !cut) {
      for (const field of ["reasoning_content", "content"] as const) {
        const text = delta[field];
        if (!text) continue;
        const kept = meter.take(text);
        if (kept !== text) {
          cut = true;
          if (kept === null) delete delta[field];
          else delta[field] = kept;
        }
      }
      for (const call of delta.tool_calls ?? []) {
        const args = call.function?.arguments;
        if (!args) continue;
        const kept = meter.take(args);
        if (kept !== args) {
          cut = true;
          call.function!.arguments = kept ?? "";
        }
      }
    }
    return out;
  };
  const end = () => {
    signal.removeEventListener("abort", abandon);
    // A provider that reports no usage is charged what the gateway counted.
    usage ??= { inputTokens: adm.estimatedTokens - adm.outputLimit, outputTokens: meter.tokensOfAll() };
    done({ status: failure ? "error" : "ok", error: failure, deployment, usage, ttftMs });
  };
  /** After a cut: the provider is stopped, and what came is what is charged (a usage it sent early counts no less). */
  const cutOff = () => {
    upstream.close();
    usage = {
      inputTokens: usage?.inputTokens ?? adm.estimatedTokens - adm.outputLimit,
      outputTokens: Math.max(usage?.outputTokens ?? 0, meter.tokens),
    };
  };
  // The client went away: the provider is stopped and the call settled now, whoever reads the stream.
  const abandon = () => {
    failure ??= "cancelled by the caller";
    upstream.close();
    end();
  };
  if (signal.aborted) abandon();
  else signal.addEventListener("abort", abandon, { once: true });
  if (!req.stream) {
    try {
      let content = "";
      let reasoning = "";
      let finishReason: string | null = null;
      const calls: ToolCallOut[] = [];
      const take = (raw: Chunk) => {
        const choice = relabel(raw).choices?.[0];
        if (!choice) return;
        content += choice.delta?.content ?? "";
        reasoning += choice.delta?.reasoning_content ?? "";
        for (const call of choice.delta?.tool_calls ?? []) {
          const at = call.index ?? calls.length;
          const to = (calls[at] ??= { type: "function", function: { name: "", arguments: "" } });
          if (call.id) to.id = call.id;
          if (call.function?.name) to.function.name += call.function.name;
          to.function.arguments += call.function?.arguments ?? "";
        }
        finishReason = choice.finish_reason ?? finishReason;
      };
      upstream.head.forEach(take);
      while (!cut) {
        const chunk = await upstream.next();
        if (!chunk) break;
        take(chunk);
      }
      if (cut) {
        cutOff();
        finishReason = "length";
      }
      end();
      return completionResponse({
        id,
        created,
        model: req.model,
        content,
        reasoning,
        toolCalls: calls.filter(Boolean),
        finishReason: finishReason ?? "stop",
        usage: usage && usageOut(usage.inputTokens, usage.outputTokens),
      });
    } catch (error) {
      failure = `broke off after the first token: ${describeFailure(error)}`;
      upstream.close();
      end();
      return Response.json(
        { error: { message: `The model “${req.model}” ${failure}`, type: "upstream_error", code: "upstream" } },
        { status: 502 },
      );
    }
  }

  const encoder = new TextEncoder();
  const line = (value: unknown) => encoder.encode(`data: ${JSON.stringify(value)}\n\n`);
  const finished = () => {
    const out: Uint8Array[] = [];
    if (req.stream_options?.include_usage)
      out.push(
        line({
          id,
          object: "chat.completion.chunk",
          created,
          model: req.model,
          choices: [],
          usage: usage && usageOut(usage.inputTokens, usage.outputTokens),
        }),
      );
    out.push(encoder.encode("data: [DONE]\n\n"));
    return out;
  };
  let sawFinish = false;
  /** Enqueues a chunk for the client, if it has one (usage goes once, at the end, if asked for). */
  const forward = (raw: Chunk, c: ReadableStreamDefaultController<Uint8Array>): boolean => {
    const chunk = relabel(raw);
    if (chunk.choices?.[0]?.finish_reason) sawFinish = true;
    if (!chunk.choices?.length) return false;
    c.enqueue(line({ ...chunk, usage: undefined }));
    return true;
  };
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const chunk of upstream.head) forward(chunk, c);
    },
    async pull(c) {
      try {
        if (cut) {
          cutOff();
          if (!sawFinish)
            c.enqueue(
              line({
                id,
                object: "chat.completion.chunk",
                created,
                model: req.model,
                choices: [{ index: 0, delta: {}, finish_reason: "length" }],
              }),
            );
        } else {
          // A pull must enqueue something, or the stream is never pulled again.
          for (let chunk = await upstream.next(); chunk; chunk = await upstream.next()) if (forward(chunk, c)) return;
        }
        end();
        for (const bytes of finished()) c.enqueue(bytes);
        c.close();
      } catch (error) {
        failure = `broke off after the first token: ${describeFailure(error)}`;
        upstream.close();
        end();
        c.enqueue(
          line({ error: { message: `The model “${req.model}” ${failure}`, type: "upstream_error", code: "upstream" } }),
        );
        c.close();
      }
    },
    cancel() {
      failure ??= "cancelled by the caller";
      upstream.close();
      end();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
    },
  });
}
