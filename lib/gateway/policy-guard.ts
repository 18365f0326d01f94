import type {
  JSONValue,
  LanguageModelV3CallOptions,
  LanguageModelV3Message,
  LanguageModelV3ToolResultOutput,
} from "@ai-sdk/provider";
import { findBlocked } from "../engine/guardrail/checks";
import { findPii, phoneBudget, redact, withoutOverlaps, type PhoneBudget, type Span } from "../engine/guardrail/pii";
import type { PolicyRules } from "../schemas/guardrail-policy";

/** A guardrail policy as the hot path reads it (lib/gateway/config.ts). */
export interface PolicyConfig {
  id: string;
  name: string;
  rules: PolicyRules;
  /** Its stored rules could not be read: every call it covers is refused until it is fixed. */
  broken?: string;
}

export type ViolationKind =
  | "pii-prompt"
  | "pii-answer"
  | "blocked-prompt"
  | "blocked-answer"
  | "injection"
  | "tool-calls"
  | "blocked-topic"
  | "topic-unchecked";

/** What a policy did to a call: what and how many, never the values. */
export interface Finding {
  policyId: string;
  policyName: string;
  kind: ViolationKind;
  action: "redacted" | "refused" | "withheld" | "stopped";
  detail: string;
}

/**
 * Instructions aimed at the model inside a tool's result (a page, a file, an email the tool
 * read): heuristics, bounded (no backtracking), in the shapes such injections take. A match
 * withholds the result from the model; it does not prove an attack, and not every attack matches.
 */
const INJECTION = [
  /\b(?:ignore|disregard|forget|override)\b[^.\n]{0,40}?\b(?:previous|prior|above|earlier|all|any|your|the)\b[^.\n]{0,20}?\b(?:instructions?|prompts?|rules|directions)\b/i,
  /\b(?:you are now|from now on,? you (?:are|will|must)|pretend to be|new instructions?\s*:)/i,
  /\b(?:system prompt|developer message|jailbreak)\b/i,
  /<\/?(?:system|assistant|instructions?)>/i,
  /\b(?:do not|don't) (?:tell|inform|mention (?:this )?to) the user\b/i,
];

export const looksLikeInjection = (text: string): boolean => INJECTION.some((re) => re.test(text));

/** Counts of what spans found, as a finding says it: "email ×2, phone". */
export function describeSpans(spans: Span[]): string {
  const counts = new Map<string, number>();
  for (const s of spans) counts.set(s.what, (counts.get(s.what) ?? 0) + 1);
  return [...counts].map(([what, n]) => (n > 1 ? `${what} ×${n}` : what)).join(", ");
}

/** The spans of one text that the policies redact: personal data of their kinds, and (`blocked`) their terms. */
export function spansIn(
  text: string,
  rules: PolicyRules,
  side: "prompts" | "answers",
  blocked: boolean,
  budget: PhoneBudget,
): Span[] {
  const pii =
    rules.pii[side] && rules.pii.kinds.length ? findPii(text, rules.pii.kinds, rules.pii.phoneCountry, budget) : [];
  return withoutOverlaps([...pii, ...(blocked ? findBlocked(text, rules.blockedTerms) : [])]);
}

/** What `guardCall` answers: the call as it goes out, or why it is refused; and what was done. */
export interface GuardedCall {
  options: LanguageModelV3CallOptions;
  refused: string | null;
  findings: Finding[];
}

/**
 * Applies the policies to a call before any provider sees it: personal data redacted in every
 * text of the prompt (system, messages, tool calls and their results, tool descriptions), a
 * blocked term in the newest message a person (or a step) wrote refuses the call (anywhere else,
 * an earlier turn, the run so far, a tool's result, it is redacted), tool results that read as
 * instructions withheld, and, past a policy's most tool calls since that message, the model told
 * to use no tool (`toolChoice: none`: the tools stay, as providers want while the conversation
 * holds tool calls), so it answers. Policies apply one after another. Findings count only what
 * is new in this call (after the model's last turn): an agent's loop resends its history.
 */
export function guardCall(policies: PolicyConfig[], options: LanguageModelV3CallOptions): GuardedCall {
  let prompt = options.prompt;
  let tools = options.tools;
  let toolChoice = options.toolChoice;
  const findings: Finding[] = [];
  const newest = prompt.findLastIndex((m) => m.role === "user");
  const fresh = prompt.findLastIndex((m) => m.role === "assistant") + 1;
  // One budget for the whole call, every policy and text: a body of many texts costs no more.
  const budget = phoneBudget();
  for (const policy of policies) {
    if (policy.broken)
      return {
        options,
        findings,
        refused: `The guardrail policy “${policy.name}” cannot be read (${policy.broken}); an installation owner must fix it under Organization.`,
      };
    const { rules } = policy;
    const found = { pii: [] as Span[], blocked: [] as Span[], injected: 0 };
    // One text of the prompt, redacted; `refusing`: the newest message (a blocked term refuses);
    // `counted`: new in this call (its findings are recorded).
    const clean = (text: string, refusing: boolean, counted: boolean): string => {
      const blocked = rules.blockedTerms.length ? findBlocked(text, rules.blockedTerms) : [];
      if (blocked.length && refusing) found.blocked.push(...blocked);
      const spans = withoutOverlaps([
        ...(rules.pii.prompts && rules.pii.kinds.length
          ? findPii(text, rules.pii.kinds, rules.pii.phoneCountry, budget)
          : []),
        ...(refusing ? [] : blocked),
      ]);
      if (counted) found.pii.push(...spans.filter((s) => s.what !== "blocked"));
      return spans.length ? redact(text, spans) : text;
    };
    const cleanJson = (value: JSONValue, counted: boolean): JSONValue =>
      typeof value === "string"
        ? clean(value, false, counted)
        : Array.isArray(value)
          ? value.map((v) => cleanJson(v, counted))
          : value && typeof value === "object"
            ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanJson(v as JSONValue, counted)]))
            : value;
    const result = (output: LanguageModelV3ToolResultOutput, counted: boolean): LanguageModelV3ToolResultOutput => {
      const texts =
        output.type === "text" || output.type === "error-text"
          ? output.value
          : output.type === "json" || output.type === "error-json"
            ? JSON.stringify(output.value)
            : output.type === "content"
              ? output.value.map((p) => (p.type === "text" ? p.text : "")).join("\n")
              : (output.reason ?? "");
      if (rules.injection && looksLikeInjection(texts)) {
        if (counted) found.injected += 1;
        return {
          type: "text",
          value: `[withheld by the guardrail policy “${policy.name}”: this tool result read as instructions to the model]`,
        };
      }
      switch (output.type) {
        case "text":
        case "error-text":
          return { ...output, value: clean(output.value, false, counted) };
        case "json":
        case "error-json":
          return { ...output, value: cleanJson(output.value, counted) };
        case "content":
          return {
            ...output,
            value: output.value.map((p) => (p.type === "text" ? { ...p, text: clean(p.text, false, counted) } : p)),
          };
        case "execution-denied":
          return output.reason ? { ...output, reason: clean(output.reason, false, counted) } : output;
      }
    };
    prompt = prompt.map((message, i): LanguageModelV3Message => {
      const counted = i >= fresh;
      switch (message.role) {
        case "system":
          return { ...message, content: clean(message.content, false, counted) };
        case "user":
          return {
            ...message,
            content: message.content.map((p) =>
              p.type === "text" ? { ...p, text: clean(p.text, i === newest, counted) } : p,
            ),
          };
        case "assistant":
          return {
            ...message,
            content: message.content.map((p) =>
              p.type === "text" || p.type === "reasoning"
                ? { ...p, text: clean(p.text, false, counted) }
                : p.type === "tool-call"
                  ? {
                      ...p,
                      input:
                        typeof p.input === "string"
                          ? clean(p.input, false, counted)
                          : cleanJson(p.input as JSONValue, counted),
                    }
                  : p.type === "tool-result"
                    ? { ...p, output: result(p.output, counted) }
                    : p,
            ),
          };
        case "tool":
          return {
            ...message,
            content: message.content.map((p) =>
              p.type === "tool-result" ? { ...p, output: result(p.output, counted) } : p,
            ),
          };
      }
    });
    // What a tool says of itself reaches the provider too (an MCP server's text): redacted.
    tools = tools?.map((t) =>
      t.type === "function" && t.description ? { ...t, description: clean(t.description, false, false) } : t,
    );
    const said = (kind: ViolationKind, action: Finding["action"], detail: string) =>
      findings.push({ policyId: policy.id, policyName: policy.name, kind, action, detail });
    if (found.blocked.length) {
      said("blocked-prompt", "refused", `${found.blocked.length} blocked term${found.blocked.length > 1 ? "s" : ""}`);
      return {
        options,
        findings,
        refused: `The guardrail policy “${policy.name}” refused this call: the prompt names a blocked term. Remove it and try again.`,
      };
    }
    if (found.pii.length) said("pii-prompt", "redacted", describeSpans(found.pii));
    if (found.injected) said("injection", "withheld", `${found.injected} tool result${found.injected > 1 ? "s" : ""}`);
    if (rules.maxToolCalls !== null && tools?.length && toolChoice?.type !== "none") {
      const calls = toolCallsSinceLastMessage(prompt);
      if (calls >= rules.maxToolCalls) {
        toolChoice = { type: "none" };
        said(
          "tool-calls",
          "stopped",
          `${calls} tool calls (the most is ${rules.maxToolCalls}): answered without tools`,
        );
      }
    }
  }
  return {
    options: { ...options, prompt, ...(tools && { tools }), ...(toolChoice && { toolChoice }) },
    refused: null,
    findings,
  };
}

/** Tool calls the model made since the person's (or the step's) last message: one agent step's so far. */
function toolCallsSinceLastMessage(prompt: LanguageModelV3Message[]): number {
  let calls = 0;
  for (let i = prompt.length - 1; i >= 0; i -= 1) {
    const message = prompt[i]!;
    if (message.role === "user") break;
    if (message.role === "assistant") calls += message.content.filter((p) => p.type === "tool-call").length;
  }
  return calls;
}
