import type { ChatStreamEvent } from "@/lib/schemas/chat";

/** The server refused the stream (the chat was turned off, the link replaced): opening it again will not help. */
export class StreamRefused extends Error {
  override name = "StreamRefused";
}

/**
 * Reads a turn's answer stream (Server-Sent Events over fetch, so it can carry the chat's
 * headers) and hands each event to `onEvent`, until the turn ends or `signal` aborts. A dropped
 * connection (or a stream the server ended early) is opened again after a second: the stream
 * starts over from the turn as it stands; a 429 (too many open at once) is asked again after its
 * Retry-After. Any other refusal (4xx) ends it with `StreamRefused`.
 */
export async function followTurn(
  path: string,
  headers: Record<string, string>,
  onEvent: (e: ChatStreamEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  for (let failures = 0; !signal.aborted;) {
    try {
      const response = await fetch(path, { headers: { ...headers, accept: "text/event-stream" }, signal });
      // Too many answers open at once (another tab, or a dropped stream the server still holds):
      // the answer goes on, so it is asked for again when the server says.
      if (response.status === 429) {
        const seconds = Number(response.headers.get("retry-after")) || 5;
        await new Promise((resolve) => setTimeout(resolve, Math.min(seconds, 30) * 1_000));
        continue;
      }
      if (response.status >= 400 && response.status < 500) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new StreamRefused(body?.error?.message ?? `The server answered ${response.status}.`);
      }
      if (!response.ok || !response.body) throw new Error(`The server answered ${response.status}.`);
      failures = 0;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block
            .split("\n")
            .filter((l) => l.startsWith("data: "))
            .map((l) => l.slice(6))
            .join("\n");
          if (!data) continue;
          const event = JSON.parse(data) as ChatStreamEvent;
          onEvent(event);
          if (event.type === "end") return;
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof StreamRefused || ++failures >= 30) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
