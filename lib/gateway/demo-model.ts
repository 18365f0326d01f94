import type { ModelRequest, Usage } from "../engine/ports";

/**
 * The built-in demo model: deterministic, needs no key, and says it is simulated. It answers
 * from the prompt, streams its answer word by word, and fills a structured-output schema with
 * placeholder values of the right types. It is never presented as a real LLM.
 */
const PREFIX = "[Simulated demo model] ";

function sample(schema: Record<string, unknown> | undefined): unknown {
  if (!schema) return null;
  switch (schema.type) {
    case "object":
      return Object.fromEntries(Object.entries((schema.properties as Record<string, Record<string, unknown>>) ?? {}).map(([k, s]) => [k, sample(s)]));
    case "array":
      return [sample(schema.items as Record<string, unknown>)];
    case "number":
    case "integer":
      return 1;
    case "boolean":
      return true;
    default:
      return Array.isArray(schema.enum) ? schema.enum[0] : "simulated";
  }
}

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason ?? new Error("Cancelled"));
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), reject(signal.reason ?? new Error("Cancelled"))), { once: true });
  });

export async function demoGenerate(request: ModelRequest, chunkDelayMs = 25): Promise<{ text: string; object?: unknown; usage: Usage }> {
  const task = request.instructions.replace(/\s+/g, " ").trim();
  const text = `${PREFIX}Response to: “${task.length > 240 ? `${task.slice(0, 240)}…` : task}”. ${
    request.memory.length ? `I had the outputs of ${request.memory.length} earlier step${request.memory.length === 1 ? "" : "s"}.` : ""
  }`.trim();
  const words = text.split(/(?<= )/);
  for (const word of words) {
    await wait(chunkDelayMs, request.signal);
    request.onDelta?.(word);
  }
  const inputTokens = Math.ceil((task.length + JSON.stringify(request.memory).length) / 4);
  return { text, object: request.outputSchema ? sample(request.outputSchema) : undefined, usage: { inputTokens, outputTokens: Math.ceil(text.length / 4), costUsd: 0 } };
}
