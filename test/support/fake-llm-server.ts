import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real OpenAI-compatible HTTP server on 127.0.0.1 for tests and benchmarks: chat
 * completions, streaming (SSE) and not, tool calls, usage, and faults on demand. What a model
 * does is set per model id with `behave()`; by default it echoes the last user message.
 * It counts every call, per model, and keeps the requests it got.
 */
export type Behaviour =
  | {
      kind: "answer";
      text?: string;
      delayMs?: number;
      chunkDelayMs?: number;
      usage?: { prompt: number; completion: number };
      /** Stops at the request's max tokens (one word per token here); by default the limit is ignored. */
      honourMaxTokens?: boolean;
    }
  | {
      kind: "status";
      status: number;
      message?: string;
      retryAfter?: number;
      /** A careless provider that repeats the request's Authorization header in its error. */
      echoAuthorization?: boolean;
    }
  /** Accepts the request and never answers (a timeout). */
  | { kind: "hang" }
  /** Streams one chunk, then breaks the connection. */
  | { kind: "break-after-first" }
  /** Streams one chunk, then an error event repeating the request's Authorization header (a careless provider). */
  | { kind: "error-after-first" }
  /** Starts a stream (headers and an empty role chunk), then breaks the connection before any content. */
  | { kind: "break-before-first" }
  /** Answers with a whole JSON completion even when asked to stream. */
  | { kind: "ignores-stream" }
  /** Asks for a tool, then (given the tool's result) answers with it. */
  | { kind: "tool"; name: string; arguments: Record<string, unknown> };

export interface ChatRequest {
  model: string;
  messages: { role: string; content: unknown; tool_calls?: unknown[]; tool_call_id?: string }[];
  stream?: boolean;
  tools?: { type: string; function: { name: string } }[];
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  response_format?: unknown;
}

export interface FakeLlmServer {
  url: string;
  /** The base URL a provider is configured with: `${url}/v1`. */
  baseUrl: string;
  behave(model: string, behaviour: Behaviour): void;
  calls(model?: string): number;
  requests: ChatRequest[];
  /** Requests whose Authorization header was this key. */
  keysSeen: Set<string>;
  reset(): void;
  close(): Promise<void>;
}

const textOf = (content: unknown) =>
  typeof content === "string"
    ? content
    : Array.isArray(content)
      ? content.map((p: { text?: string }) => p.text ?? "").join("")
      : "";

export async function startFakeLlmServer(): Promise<FakeLlmServer> {
  const behaviours = new Map<string, Behaviour>();
  const counts = new Map<string, number>();
  const requests: ChatRequest[] = [];
  const keysSeen = new Set<string>();
  const open = new Set<ServerResponse>();

  async function body(req: IncomingMessage): Promise<string> {
    let data = "";
    for await (const chunk of req) data += chunk;
    return data;
  }

  const server: Server = createServer(async (req, res) => {
    const auth = req.headers.authorization;
    if (auth) keysSeen.add(auth.replace(/^Bearer /, ""));
    if (req.method === "GET" && req.url?.endsWith("/models")) {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(
        JSON.stringify({
          object: "list",
          data: [...behaviours.keys(), "echo"].map((id) => ({ id, object: "model", owned_by: "fake" })),
        }),
      );
    }
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      res.writeHead(404).end();
      return;
    }
    const request = JSON.parse(await body(req)) as ChatRequest;
    requests.push(request);
    counts.set(request.model, (counts.get(request.model) ?? 0) + 1);
    const behaviour = behaviours.get(request.model) ?? { kind: "answer" };
    open.add(res);
    res.on("close", () => open.delete(res));

    if (behaviour.kind === "hang") return;
    if (behaviour.kind === "status") {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (behaviour.retryAfter) headers["retry-after"] = String(behaviour.retryAfter);
      res.writeHead(behaviour.status, headers);
      return res.end(
        JSON.stringify({
          error: {
            message: `${behaviour.message ?? `fake failure ${behaviour.status}`}${behaviour.echoAuthorization ? ` (you sent ${req.headers.authorization})` : ""}`,
            type: "server_error",
          },
        }),
      );
    }

    const last = request.messages.at(-1);
    const lastUser = [...request.messages].reverse().find((m) => m.role === "user");
    const id = `chatcmpl-${Math.random().toString(36).slice(2, 10)}`;
    const created = Math.floor(Date.now() / 1000);
    let text = "";
    let toolCall: { id: string; name: string; arguments: string } | null = null;
    if (behaviour.kind === "tool" && last?.role !== "tool")
      toolCall = { id: "call_1", name: behaviour.name, arguments: JSON.stringify(behaviour.arguments) };
    else if (behaviour.kind === "tool") text = `The tool said: ${textOf(last?.content)}`;
    else if (behaviour.kind === "answer") text = behaviour.text ?? `Echo: ${textOf(lastUser?.content)}`;
    else if (behaviour.kind === "ignores-stream") text = "a whole answer";
    else text = "first chunk then nothing";
    const cap = request.max_completion_tokens ?? request.max_tokens;
    if (behaviour.kind === "answer" && behaviour.honourMaxTokens && cap !== undefined)
      text = text
        .split(/(?<= )/)
        .slice(0, cap)
        .join("")
        .trimEnd();
    const completion =
      behaviour.kind === "answer" && behaviour.usage
        ? behaviour.usage.completion
        : behaviour.kind === "answer" && behaviour.honourMaxTokens
          ? text.split(/\s+/).filter(Boolean).length
          : Math.max(1, Math.ceil(text.length / 4));
    const usage = {
      prompt_tokens: behaviour.kind === "answer" && behaviour.usage ? behaviour.usage.prompt : 10,
      completion_tokens: toolCall ? 5 : completion,
      total_tokens: 0,
    };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const delayMs = behaviour.kind === "answer" ? (behaviour.delayMs ?? 0) : 0;
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));

    if (!request.stream || behaviour.kind === "ignores-stream") {
      res.writeHead(200, { "content-type": "application/json" });
      const message = toolCall
        ? {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: toolCall.id, type: "function", function: { name: toolCall.name, arguments: toolCall.arguments } },
            ],
          }
        : { role: "assistant", content: text };
      return res.end(
        JSON.stringify({
          id,
          object: "chat.completion",
          created,
          model: request.model,
          choices: [{ index: 0, message, finish_reason: toolCall ? "tool_calls" : "stop" }],
          usage,
        }),
      );
    }

    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const send = (delta: unknown, finish: string | null = null, extra: Record<string, unknown> = {}) =>
      res.write(
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: request.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`,
      );
    if (behaviour.kind === "break-before-first") {
      send({ role: "assistant", content: "" });
      await new Promise((r) => setTimeout(r, 20));
      res.socket?.destroy();
      return;
    }
    if (behaviour.kind === "error-after-first") {
      send({ role: "assistant", content: "first chunk " });
      res.write(
        `data: ${JSON.stringify({ error: { message: `overloaded (you sent ${req.headers.authorization})`, type: "server_error" } })}\n\n`,
      );
      return res.end();
    }
    if (behaviour.kind === "break-after-first") {
      send({ role: "assistant", content: "first chunk " });
      await new Promise((r) => setTimeout(r, 20));
      res.socket?.destroy();
      return;
    }
    if (toolCall) {
      send({
        role: "assistant",
        content: null,
        tool_calls: [
          {
            index: 0,
            id: toolCall.id,
            type: "function",
            function: { name: toolCall.name, arguments: toolCall.arguments },
          },
        ],
      });
      send({}, "tool_calls");
    } else {
      const words = text.split(/(?<= )/);
      const chunkDelay = behaviour.kind === "answer" ? (behaviour.chunkDelayMs ?? 0) : 0;
      send({ role: "assistant", content: "" });
      for (const w of words) {
        send({ content: w });
        if (chunkDelay) await new Promise((r) => setTimeout(r, chunkDelay));
      }
      send({}, "stop");
    }
    res.write(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: request.model, choices: [], usage })}\n\n`,
    );
    res.end("data: [DONE]\n\n");
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    behave: (model, b) => void behaviours.set(model, b),
    calls: (model) => (model ? (counts.get(model) ?? 0) : [...counts.values()].reduce((a, b) => a + b, 0)),
    requests,
    keysSeen,
    reset() {
      behaviours.clear();
      counts.clear();
      requests.length = 0;
    },
    async close() {
      for (const res of open) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
