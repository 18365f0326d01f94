import "server-only";

/** A stream of Server-Sent Events as the response (no caching, kept alive). */
export function sse(
  stream: ReadableStream<Uint8Array>,
  init: { status?: number; headers?: Record<string, string> } = {},
): Response {
  return new Response(stream, {
    status: init.status ?? 200,
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      ...init.headers,
    },
  });
}

/** Whether the client asked for Server-Sent Events (`Accept: text/event-stream`). */
export const wantsEventStream = (request: Request): boolean =>
  request.headers.get("accept")?.includes("text/event-stream") ?? false;
