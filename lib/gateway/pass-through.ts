import "server-only";
import { admit, finish, type Caller, type Outcome } from "./admission";
import type { AliasConfig } from "./config";
import { withoutProviderKey } from "./errors";
import type { ChatCompletionRequest } from "./openai-compat";
import { completionResponse, usageOut, type ToolCallOut } from "./openai-shapes";
import { OutputMeter } from "./output-meter";
import { openProviderStream, upstreamBody, type Chunk } from "./provider-stream";
import { allFailed, linkedAbort, route, timeoutRace } from "./pipeline";
import { describeFailure } from "./routing";
import { logger } from "../log/logger";
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
/** Whether the short way serves this call: every deployment speaks OpenAI's protocol, and no cache applies. */
export function passesThrough(alias: AliasConfig, req: ChatCompletionRequest): boolean {
  if (alias.cacheTtlSeconds > 0 && req.temperature === 0) return false;
  return (
    alias.deployments.length > 0 &&
    alias.deployments.every((d) => d.provider.kind === "OPENAI_COMPATIBLE" || d.provider.kind === "OPENAI")
  );
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
  lane = false,
): Promise<Response> {
  const adm = await admit(req.model, caller, options);
  let settled = false;
  const done = (outcome: Outcome) => {
    if (settled) return;
    settled = true;
    finish(adm, caller, outcome);
  };
  let routed: Awaited<ReturnType<typeof route<Awaited<ReturnType<typeof openProviderStream>>>>>;
  try {
    routed = await route(adm, options, (d) => {
      const controller = linkedAbort(signal);
      return timeoutRace(
        d.timeoutSeconds,
        controller,
        openProviderStream(d, upstreamBody(req, d, adm.outputLimit), controller.signal),
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
  const relabel = (chunk: Chunk): Chunk => ({ ...metered(chunk), id, created, model: req.model });
  /** Takes the chunk's usage, and meters its output, cutting it at the limit. */
  const metered = (chunk: Chunk): Chunk => {
    if (chunk.usage)
      usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
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
    return chunk;
  };
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    signal.removeEventListener("abort", abandon);
    // A provider that reports no usage is charged what the gateway counted.
    usage ??= { inputTokens: adm.estimatedTokens - adm.outputLimit, outputTokens: meter.tokensOfAll() };
    const outcome: Outcome = { status: failure ? "error" : "ok", error: failure, deployment, usage, ttftMs };
    // Over the fast lane the answer is written first and the call settled (spend, ledger) just
    // after, off the client's clock; the client's next request comes over the network, later.
    if (!lane) return done(outcome);
    setImmediate(() => {
      try {
        done(outcome);
      } catch (error) {
        logger().error({ err: error, model: req.model }, "could not settle a gateway call after answering it");
      }
    });
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
    if (ended) return;
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
        const choice = metered(raw).choices?.[0];
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
      if (!cut) await upstream.drain((chunk) => (take(chunk), !cut));
      if (cut) {
        cutOff();
        finishReason = "length";
      }
      end();
      return completionResponse({
        lane,
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
      failure = `broke off after the first token: ${describeFailure(withoutProviderKey(error, deployment.provider.apiKey))}`;
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
        failure = `broke off after the first token: ${describeFailure(withoutProviderKey(error, deployment.provider.apiKey))}`;
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
