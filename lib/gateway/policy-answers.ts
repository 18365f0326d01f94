import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { phoneBudget, redact, renewed, type Span } from "../engine/guardrail/pii";
import { describeSpans, spansIn, type Finding, type PolicyConfig } from "./policy-guard";

/**
 * How much of an answer is held back while it streams, so personal data split across two
 * deltas is seen whole before any of it goes on: longer than any kind the checks find (an
 * email is at most 254 characters).
 */
const HOLD = 256;
/** Text goes on in stretches of at least this much (each a scan of what is held), not delta by delta. */
const STEP = 128;

/**
 * An answer's text, redacted as it streams: each delta is added to what is held; what is more
 * than `HOLD` characters back, and starts no finding that may still grow, goes on redacted.
 */
export class AnswerRedactor {
  private held = "";
  /** What a scan may ask libphonenumber, each scan anew; what earlier scans read is kept (lib/engine/guardrail/pii.ts). */
  private readonly budget = phoneBudget();
  readonly found = new Map<PolicyConfig, Span[]>();

  constructor(private readonly policies: PolicyConfig[]) {}

  /** Adds a delta; answers the text that may go on now ("" while it is held). */
  push(delta: string): string {
    this.held += delta;
    return this.held.length < HOLD + STEP ? "" : this.release(false);
  }

  /** The end of the text: everything held goes on, redacted. */
  flush(): string {
    return this.release(true);
  }

  private release(all: boolean): string {
    let text = this.held;
    let cut = all ? text.length : Math.max(0, text.length - HOLD);
    if (cut === 0) return "";
    renewed(this.budget);
    // Redact policy by policy; a finding that reaches past the cut may still grow: keep it back.
    for (const policy of this.policies) {
      const spans = spansIn(text, policy.rules, "answers", true, this.budget);
      for (const s of spans) if (!all && s.end >= cut) cut = Math.min(cut, s.start);
      const done = spans.filter((s) => s.end <= cut);
      if (done.length) {
        this.found.set(policy, [...(this.found.get(policy) ?? []), ...done]);
        const head = redact(text.slice(0, cut), done);
        text = head + text.slice(cut);
        cut = head.length;
      }
    }
    this.held = text.slice(cut);
    return text.slice(0, cut);
  }

  findings(): Finding[] {
    return findingsOf([this]);
  }
}

/** What several redactors (an answer's blocks) did together: one finding per policy and kind. */
export function findingsOf(redactors: AnswerRedactor[]): Finding[] {
  const found = new Map<PolicyConfig, Span[]>();
  for (const r of redactors)
    for (const [policy, spans] of r.found) found.set(policy, [...(found.get(policy) ?? []), ...spans]);
  const findings: Finding[] = [];
  for (const [policy, spans] of found) {
    const pii = spans.filter((s) => s.what !== "blocked");
    const blocked = spans.length - pii.length;
    if (pii.length)
      findings.push({
        policyId: policy.id,
        policyName: policy.name,
        kind: "pii-answer",
        action: "redacted",
        detail: describeSpans(pii),
      });
    if (blocked)
      findings.push({
        policyId: policy.id,
        policyName: policy.name,
        kind: "blocked-answer",
        action: "redacted",
        detail: `${blocked} blocked term${blocked > 1 ? "s" : ""}`,
      });
  }
  return findings;
}

/** The policies that change answers: redacting personal data, or blocked terms. */
export const answerPolicies = (policies: PolicyConfig[]): PolicyConfig[] =>
  policies.filter((p) => (p.rules.pii.answers && p.rules.pii.kinds.length > 0) || p.rules.blockedTerms.length > 0);

/**
 * A model's stream with what it writes redacted as it goes: texts, reasoning and the inputs of
 * the tools it calls (one redactor per block, flushed at the block's end or the stream's; a
 * finished tool call's input redacted whole). `onEnd` gets what was done, once: at the end, on
 * an error, or when the caller stops reading.
 */
export function redactAnswers(
  stream: ReadableStream<LanguageModelV3StreamPart>,
  policies: PolicyConfig[],
  onEnd: (findings: Finding[]) => void,
): ReadableStream<LanguageModelV3StreamPart> {
  type Delta = "text-delta" | "reasoning-delta" | "tool-input-delta";
  const open = new Map<string, { r: AnswerRedactor; type: Delta; id: string }>();
  const done: AnswerRedactor[] = [];
  let reported = false;
  const report = () => {
    if (reported) return;
    reported = true;
    onEnd(findingsOf([...done, ...[...open.values()].map((o) => o.r)]));
  };
  const out: LanguageModelV3StreamPart[] = [];
  // A block ends: what its redactor still holds goes on.
  const close = (key: string) => {
    const block = open.get(key);
    if (!block) return;
    open.delete(key);
    done.push(block.r);
    const left = block.r.flush();
    if (left) out.push({ type: block.type, id: block.id, delta: left });
  };
  const ends: Partial<Record<LanguageModelV3StreamPart["type"], Delta>> = {
    "text-end": "text-delta",
    "reasoning-end": "reasoning-delta",
    "tool-input-end": "tool-input-delta",
  };
  const take = (part: LanguageModelV3StreamPart) => {
    if (part.type === "text-delta" || part.type === "reasoning-delta" || part.type === "tool-input-delta") {
      const key = `${part.type}:${part.id}`;
      let block = open.get(key);
      if (!block) open.set(key, (block = { r: new AnswerRedactor(policies), type: part.type, id: part.id }));
      const kept = block.r.push(part.delta);
      if (kept) out.push({ ...part, delta: kept });
      return;
    }
    const ending = ends[part.type];
    if (ending && "id" in part) close(`${ending}:${part.id}`);
    if (part.type === "tool-call") {
      const r = new AnswerRedactor(policies);
      const input = r.push(part.input) + r.flush();
      done.push(r);
      out.push({ ...part, input });
      return;
    }
    if (part.type === "finish" || part.type === "error") [...open.keys()].forEach(close);
    out.push(part);
  };
  const reader = stream.getReader();
  return new ReadableStream<LanguageModelV3StreamPart>({
    async pull(c) {
      while (!out.length) {
        let next: ReadableStreamReadResult<LanguageModelV3StreamPart>;
        try {
          next = await reader.read();
        } catch (error) {
          report();
          throw error;
        }
        if (next.done) {
          [...open.keys()].forEach(close);
          for (const part of out.splice(0)) c.enqueue(part);
          report();
          return c.close();
        }
        take(next.value);
      }
      for (const part of out.splice(0)) c.enqueue(part);
    },
    async cancel(reason) {
      report();
      await reader.cancel(reason);
    },
  });
}
