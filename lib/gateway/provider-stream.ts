import "server-only";
import { APICallError } from "@ai-sdk/provider";
import { createParser } from "eventsource-parser";
import type { Readable } from "node:stream";
import { Agent, request, type Dispatcher } from "undici";
import { workspaceRules } from "../egress/destinations";
import { outboundDispatcher } from "../egress/guard";
import { EgressRefused } from "../egress/policy";
import { AddressRefused, withoutProviderKey } from "./errors";
import { processSingleton } from "../process/singleton";
import type { DeploymentConfig } from "./config";
import type { ChatCompletionRequest } from "./openai-compat";
import { messageText } from "./openai-shapes";

/**
 * An OpenAI-shaped provider's stream of chat completion chunks, for the door's short way
 * (./pass-through.ts): what the provider is sent, and its answer opened as far as the first
 * content, failing in the ways routing retries on (./routing.ts).
 */
const OPENAI_BASE = "https://api.openai.com/v1";
let shared: Agent | undefined;
const agent = () =>
  (shared ??= processSingleton("gateway-agent", () => new Agent({ keepAliveTimeout: 30_000, pipelining: 1 })));

export interface Chunk {
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

/** OpenAI's reasoning models refuse sampling settings (the AI SDK leaves them out too). */
const reasoningModel = (d: DeploymentConfig) => d.provider.kind === "OPENAI" && /^(o\d|gpt-5(?!-chat))/.test(d.modelId);

/**
 * What the provider is sent: the call's known fields only, messages rebuilt from what was
 * validated (text only, as admission counted it; "developer" as "system"), no `n` (one answer
 * is what the budget reserved), and the output limit the call reserved.
 */
export function upstreamBody(req: ChatCompletionRequest, d: DeploymentConfig, outputLimit: number): string {
  const messages = req.messages.map((m) => {
    switch (m.role) {
      case "system":
      case "developer":
        return { role: "system", content: messageText(m.content) };
      case "user":
        return { role: "user", content: messageText(m.content), ...(m.name ? { name: m.name } : {}) };
      case "assistant":
        return {
          role: "assistant",
          content: m.tool_calls?.length && !messageText(m.content) ? null : messageText(m.content),
          ...(m.tool_calls?.length ? { tool_calls: m.tool_calls } : {}),
        };
      case "tool":
        return { role: "tool", content: messageText(m.content), tool_call_id: m.tool_call_id };
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

/**
 * One provider's stream of chunks, read from undici's body through an SSE parser: chunks are
 * parsed as bytes arrive (a data listener, cheaper than an async iterator per read), and the
 * body is paused while many wait to be read.
 */
function chunksOf(body: Readable, key: string | null) {
  const events: string[] = [];
  const parser = createParser({ onEvent: (e) => void events.push(e.data) });
  const decoder = new TextDecoder();
  let ended = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  body.on("data", (bytes: Buffer) => {
    parser.feed(decoder.decode(bytes, { stream: true }));
    if (events.length > 64) body.pause();
    poke();
  });
  body.once("end", () => ((ended = true), poke()));
  // Closed before its end (destroyed, a broken socket): a failure, never a short answer taken as whole.
  body.once("close", () => {
    if (!ended) failure ??= new Error("the provider's stream closed before its end");
    ended = true;
    poke();
  });
  body.once("error", (error) => ((failure ??= error), poke()));
  /** The next queued chunk: null at the end of the answer, undefined while none has come. */
  const queued = (): Chunk | null | undefined => {
    const data = events.shift();
    if (data === undefined) return failure || !ended ? undefined : null;
    if (events.length < 16 && body.isPaused()) body.resume();
    if (data === "[DONE]") return null;
    const chunk = JSON.parse(data) as Chunk;
    // The key out first: cut short, a key straddling the cut would leave a part of it behind.
    if (chunk.error)
      throw new Error(
        `the provider sent an error: ${withoutProviderKey(JSON.stringify(chunk.error), key).slice(0, 300)}`,
      );
    return chunk;
  };
  return {
    /** The next chunk, waiting for it if need be; null at the end. */
    async next(): Promise<Chunk | null> {
      for (;;) {
        const chunk = queued();
        if (chunk !== undefined) return chunk;
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    /**
     * Hands every chunk to `take` as it comes (no promise per chunk), until the end or until
     * `take` says stop (false).
     */
    drain(take: (chunk: Chunk) => boolean): Promise<void> {
      return new Promise((resolve, reject) => {
        const pump = () => {
          try {
            for (let chunk = queued(); chunk !== undefined; chunk = queued())
              if (!chunk || !take(chunk)) return resolve();
            if (failure) return reject(failure);
            wake = pump;
          } catch (error) {
            reject(error);
          }
        };
        pump();
      });
    },
  };
}

const isSocketError = (error: unknown) =>
  /^UND_ERR_|^ECONN|^EPIPE$/.test(String((error as { code?: unknown })?.code ?? ""));

const isContent = (c: Chunk) => {
  const choice = c.choices?.[0];
  const delta = choice?.delta;
  return !!(delta?.content || delta?.reasoning_content || delta?.tool_calls?.length || choice?.finish_reason);
};

/**
 * A call refused because the team's HTTP destinations do not allow its provider's address, as
 * the gateway's error (502, saying what to do), on either way a call goes (this one, the AI
 * SDK's in ./providers.ts); null for any other failure.
 */
export function addressRefused(error: unknown): AddressRefused | null {
  const refused = error instanceof EgressRefused ? error : (error as Error | undefined)?.cause;
  return refused instanceof EgressRefused
    ? new AddressRefused(`The provider cannot be reached: ${refused.message}.`)
    : null;
}

/**
 * How a team's own provider is reached (the organization's go straight, on `agent()`): through the
 * egress guard, which lets a private, loopback or link-local address (this host, its network, a
 * cloud's metadata service) through only when one of the team's HTTP destinations allows it.
 */
async function teamDispatcher(workspaceId: string, url: string): Promise<Dispatcher> {
  return outboundDispatcher(new URL(url), await workspaceRules(workspaceId), "models");
}

/** Opens the provider's stream and reads it as far as its first content; throws what routing retries on. */
export async function openProviderStream(d: DeploymentConfig, body: string, signal: AbortSignal) {
  const url = `${(d.provider.baseUrl || (d.provider.kind === "OPENAI" ? OPENAI_BASE : "")).replace(/\/+$/, "")}/chat/completions`;
  let res: Awaited<ReturnType<typeof request>>;
  try {
    const team = d.provider.workspaceId;
    const dispatcher = team ? await teamDispatcher(team, url) : agent(); // no wait for the organization's
    res = await request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "text/event-stream",
        ...(d.provider.apiKey ? { authorization: `Bearer ${d.provider.apiKey}` } : {}),
      },
      body,
      signal,
      dispatcher,
    });
  } catch (error) {
    if (signal.aborted) throw error;
    // An address the team's HTTP destinations do not allow: the same refusal as on the AI SDK's
    // way (the next deployment is tried, and no cooldown for one that is only waiting for an admin).
    const refused = addressRefused(error);
    if (refused) throw refused;
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
    const text = withoutProviderKey(await res.body.text().catch(() => ""), d.provider.apiKey).slice(0, 2000);
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
  const chunks = chunksOf(res.body, d.provider.apiKey);
  const next = () => chunks.next();
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
  return { head, next, drain: chunks.drain, close: () => res.body.destroy() };
}
