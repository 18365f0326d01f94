import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3FunctionTool,
  LanguageModelV3GenerateResult,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from "@ai-sdk/provider";
import { chooseOption, namedOptions } from "./demo-choice";

/**
 * The built-in demo model: a real AI SDK language model (LanguageModelV3) that needs no key,
 * so a fresh install can run its demo workflows. It is deterministic and says it is simulated
 * in every answer; it is never presented as a real LLM.
 *
 * - It answers from the prompt: "Response to: <the last user message>".
 * - Given tools, it calls one when the prompt names it (or asks to "use a tool"), with
 *   arguments filled from the tool's input schema; once the result is back, it answers with it.
 * - Asked to answer with one of the options the instructions name ("one word, billing or
 *   other: <input>"), it answers with one of them, picked from the input (`demo-choice.ts`):
 *   every branch of a workflow that routes on the answer can be tried offline.
 * - Asked for JSON with a schema, it returns a value of that schema (placeholders of the right
 *   types; an enum's value is picked from the prompt the same way).
 * - It streams word by word (`chunkDelayMs` apart), so live token display can be seen.
 */
export const DEMO_ALIAS = "demo";
const PREFIX = "[Simulated demo model] ";

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  required?: string[];
};

/** A value of `schema`; an enum's value is chosen from `choiceInput` when given, else its first. */
export function sampleOf(schema: Schema | undefined, hint = "simulated", choiceInput?: string): unknown {
  if (!schema) return null;
  if (Array.isArray(schema.enum) && schema.enum.length)
    return choiceInput === undefined ? schema.enum[0] : chooseOption(schema.enum, choiceInput);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object":
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([k, s]) => [
          k,
          sampleOf(s, k === "query" || k === "text" || k === "message" ? hint : "simulated", choiceInput),
        ]),
      );
    case "array":
      return [sampleOf(schema.items, hint, choiceInput)];
    case "number":
    case "integer":
      return 1;
    case "boolean":
      return true;
    default:
      return hint;
  }
}

const textOf = (content: unknown): string =>
  typeof content === "string"
    ? content
    : Array.isArray(content)
      ? content.map((p: { type: string; text?: string }) => (p.type === "text" ? (p.text ?? "") : "")).join("")
      : "";

function lastUserText(prompt: LanguageModelV3Prompt): string {
  for (let i = prompt.length - 1; i >= 0; i -= 1)
    if (prompt[i]!.role === "user") return textOf(prompt[i]!.content).replace(/\s+/g, " ").trim();
  return "";
}

/** In a chat, what the person said before this message (every user message but the last), oldest first. */
function earlierUserTexts(prompt: LanguageModelV3Prompt): string[] {
  const said = prompt.filter((m) => m.role === "user").map((m) => textOf(m.content).replace(/\s+/g, " ").trim());
  return said.slice(0, -1);
}

/** Tool results that came back after the model's last tool call. */
function toolResults(prompt: LanguageModelV3Prompt): { toolName: string; output: unknown }[] {
  const last = prompt.at(-1);
  if (last?.role !== "tool") return [];
  return last.content
    .filter((p) => p.type === "tool-result")
    .map((p) => ({ toolName: p.toolName, output: (p.output as { value?: unknown }).value ?? p.output }));
}

function pickTool(tools: LanguageModelV3FunctionTool[], ask: string): LanguageModelV3FunctionTool | undefined {
  const lower = ask.toLowerCase();
  return (
    tools.find((t) => lower.includes(t.name.toLowerCase())) ??
    (/\b(use|call) (a|the) tool\b/.test(lower) ? tools[0] : undefined)
  );
}

const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));
function usage(inputText: string, outputText: string): LanguageModelV3Usage {
  const input = tokens(inputText);
  const output = tokens(outputText);
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: output, text: output, reasoning: 0 },
  };
}

/** What the model "decides" for a prompt: one tool call, or a text (or JSON) answer. */
export function demoAnswer(
  options: LanguageModelV3CallOptions,
): { kind: "tool"; toolName: string; input: string } | { kind: "text"; text: string } {
  const ask = lastUserText(options.prompt);
  const results = toolResults(options.prompt);
  const tools = (options.tools ?? []).filter((t): t is LanguageModelV3FunctionTool => t.type === "function");
  if (!results.length && tools.length && options.toolChoice?.type !== "none") {
    const tool = pickTool(tools, ask);
    if (tool)
      return {
        kind: "tool",
        toolName: tool.name,
        input: JSON.stringify(sampleOf(tool.inputSchema as Schema, ask.slice(0, 80))),
      };
  }
  if (options.responseFormat?.type === "json") {
    return {
      kind: "text",
      text: JSON.stringify(
        sampleOf(options.responseFormat.schema as Schema, `${PREFIX.trim()} ${ask.slice(0, 60)}`, ask),
      ),
    };
  }
  const named = namedOptions(ask);
  if (named && !results.length) return { kind: "text", text: `${PREFIX}${chooseOption(named.options, named.input)}` };
  const task = ask.length > 240 ? `${ask.slice(0, 240)}…` : ask;
  // The engine passes the run so far as a system message that starts with its size.
  const system = options.prompt
    .filter((m) => m.role === "system")
    .map((m) => m.content)
    .join("\n");
  const steps = Number(system.match(/The run so far \((\d+) earlier step/)?.[1] ?? 0);
  const memory = steps ? ` I had the outputs of ${steps} earlier step${steps === 1 ? "" : "s"}.` : "";
  // A chat's run: the conversation before the message comes as earlier messages (and maybe a summary).
  const before = earlierUserTexts(options.prompt).at(-1);
  const recall =
    (before ? ` Before this you said “${before.length > 120 ? `${before.slice(0, 120)}…` : before}”.` : "") +
    (system.includes("Earlier in this conversation (a summary):") ? " I had a summary of what came before." : "");
  const fromTools = results.length
    ? ` The tool ${results.map((r) => `${r.toolName} returned ${JSON.stringify(r.output).slice(0, 200)}`).join("; ")}.`
    : "";
  return { kind: "text", text: `${PREFIX}Response to: “${task}”.${fromTools}${memory}${recall}` };
}

const wait = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error("Cancelled"));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(t), reject(signal.reason ?? new Error("Cancelled"))), {
      once: true,
    });
  });

export class DemoLanguageModel implements LanguageModelV3 {
  readonly specificationVersion = "v3";
  readonly provider = "flowdeck-demo";
  readonly modelId = "simulated";
  readonly supportedUrls = {};

  constructor(private readonly chunkDelayMs = 25) {}

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const answer = demoAnswer(options);
    const promptText = JSON.stringify(options.prompt);
    if (answer.kind === "tool") {
      const content: LanguageModelV3Content[] = [
        { type: "tool-call", toolCallId: "call_demo_1", toolName: answer.toolName, input: answer.input },
      ];
      return {
        content,
        finishReason: { unified: "tool-calls", raw: "tool_calls" },
        usage: usage(promptText, answer.input),
        warnings: [],
      };
    }
    await wait(this.chunkDelayMs, options.abortSignal);
    return {
      content: [{ type: "text", text: answer.text }],
      finishReason: { unified: "stop", raw: "stop" },
      usage: usage(promptText, answer.text),
      warnings: [],
    };
  }

  async doStream(options: LanguageModelV3CallOptions) {
    const answer = demoAnswer(options);
    const promptText = JSON.stringify(options.prompt);
    const delay = this.chunkDelayMs;
    const signal = options.abortSignal;
    const stream = new ReadableStream<LanguageModelV3StreamPart>({
      async start(controller) {
        try {
          controller.enqueue({ type: "stream-start", warnings: [] });
          if (answer.kind === "tool") {
            controller.enqueue({
              type: "tool-call",
              toolCallId: "call_demo_1",
              toolName: answer.toolName,
              input: answer.input,
            });
            controller.enqueue({
              type: "finish",
              usage: usage(promptText, answer.input),
              finishReason: { unified: "tool-calls", raw: "tool_calls" },
            });
          } else {
            controller.enqueue({ type: "text-start", id: "t" });
            for (const word of answer.text.split(/(?<= )/)) {
              await wait(delay, signal);
              controller.enqueue({ type: "text-delta", id: "t", delta: word });
            }
            controller.enqueue({ type: "text-end", id: "t" });
            controller.enqueue({
              type: "finish",
              usage: usage(promptText, answer.text),
              finishReason: { unified: "stop", raw: "stop" },
            });
          }
          controller.close();
        } catch (error) {
          controller.enqueue({ type: "error", error });
          controller.close();
        }
      },
    });
    return { stream };
  }
}
