import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { redact, type Span } from "../engine/guardrail/pii";
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
    // Redact policy by policy; a finding that reaches past the cut may still grow: keep it back.
    const out: string[] = [];
    for (const policy of this.policies) {
      const spans = spansIn(text, policy.rules, "answers", true);
      for (const s of spans) if (!all && s.end > cut - 1) cut = Math.min(cut, s.start);
      const done = spans.filter((s) => s.end <= cut);
      if (done.length) {
        this.found.set(policy, [...(this.found.get(policy) ?? []), ...done]);
        const head = redact(text.slice(0, cut), done);
        text = head + text.slice(cut);
        cut = head.length;
      }
    }
    out.push(text.slice(0, cut));
    this.held = text.slice(cut);
    return out.join("");
  }

  findings(): Finding[] {
    const findings: Finding[] = [];
    for (const [policy, spans] of this.found) {
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
}

/** The policies that change answers: redacting personal data, or blocked terms. */
export const answerPolicies = (policies: PolicyConfig[]): PolicyConfig[] =>
  policies.filter((p) => (p.rules.pii.answers && p.rules.pii.kinds.length > 0) || p.rules.blockedTerms.length > 0);

/**
 * A model's stream with each text redacted as it goes (one redactor per text block, flushed at
 * its end or the stream's); `onEnd` gets what was done, once.
 */
export function redactAnswers(
  stream: ReadableStream<LanguageModelV3StreamPart>,
  policies: PolicyConfig[],
  onEnd: (findings: Finding[]) => void,
): ReadableStream<LanguageModelV3StreamPart> {
  const open = new Map<string, AnswerRedactor>();
  const ended: AnswerRedactor[] = [];
  let reported = false;
  const report = () => {
    if (reported) return;
    reported = true;
    onEnd([...ended, ...open.values()].flatMap((r) => r.findings()));
  };
  const flushAll = (c: TransformStreamDefaultController<LanguageModelV3StreamPart>) => {
    for (const [id, r] of open) {
      const rest = r.flush();
      if (rest) c.enqueue({ type: "text-delta", id, delta: rest });
      ended.push(r);
    }
    open.clear();
  };
  return stream.pipeThrough(
    new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
      transform(part, c) {
        if (part.type === "text-delta") {
          let r = open.get(part.id);
          if (!r) open.set(part.id, (r = new AnswerRedactor(policies)));
          const out = r.push(part.delta);
          if (out) c.enqueue({ ...part, delta: out });
          return;
        }
        if (part.type === "text-end") {
          const r = open.get(part.id);
          if (r) {
            const rest = r.flush();
            if (rest) c.enqueue({ type: "text-delta", id: part.id, delta: rest });
            open.delete(part.id);
            ended.push(r);
          }
        }
        if (part.type === "finish" || part.type === "error") flushAll(c);
        c.enqueue(part);
        if (part.type === "finish") report();
      },
      flush(c) {
        flushAll(c);
        report();
      },
    }),
  );
}
