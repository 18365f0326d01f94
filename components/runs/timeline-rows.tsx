import Link from "next/link";
import { shownStepStatus, type RunView, type SpanView, type StepView } from "@/lib/schemas/run";
import { usd } from "@/lib/schemas/money";

const tone: Record<string, string> = {
  running: "bg-sky-500",
  done: "bg-emerald-500",
  failed: "bg-red-500",
  waiting: "bg-amber-500",
  skipped: "bg-slate-300",
  interrupted: "bg-slate-400",
  stopped: "bg-slate-400",
};

export const seconds = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/** One attempt of a step in the timeline: its name, kind and status, a bar for when it ran, its time and tokens. */
export function StepRow({
  step,
  label,
  left,
  width,
  open,
  review,
  onToggle,
  runEnded,
}: {
  step: StepView;
  /** The run has ended: a step still waiting or running then reads "stopped". */
  runEnded: boolean;
  review?: RunView["reviews"][number];
  label: string;
  left: number;
  width: number;
  open: boolean;
  onToggle: () => void;
}) {
  const status = shownStepStatus(step.status, runEnded);
  return (
    <li
      className={`grid grid-cols-[14rem_1fr_8.5rem] items-center gap-3 px-4 py-2 text-sm ${status === "failed" ? "bg-red-50/60" : ""}`}
      data-testid={`timeline-${step.nodeId}`}
    >
      <div className="min-w-0">
        <button
          type="button"
          onClick={onToggle}
          aria-expanded={open}
          className="flex max-w-full items-center gap-1 truncate text-left font-medium hover:text-brand-700"
        >
          <span className="text-xs text-slate-500" aria-hidden>
            {open ? "▾" : "▸"}
          </span>
          {label}
        </button>
        <div className="text-xs text-slate-500">
          {step.kind} ·{" "}
          {step.kind === "human-review" && status === "waiting"
            ? "waiting for a person"
            : step.kind === "human-review" && status === "done"
              ? decision(step.output)
              : status}
          {step.attempt > 1 && ` · attempt ${step.attempt}`}
          {step.copied === "pinned"
            ? " · pinned output"
            : step.copied === "recorded"
              ? " · answered from the test case's source run, not run"
              : step.copied && ` · copied from the earlier run${step.copied === "edited" ? ", output edited" : ""}`}
          {review && review.whyNot === null && (
            <>
              {" · "}
              <Link href={`/inbox/${review.id}`} className="font-medium text-brand-700 underline">
                Open the review
              </Link>
            </>
          )}
        </div>
        {review?.whyNot && <p className="text-xs text-amber-800">{review.whyNot}</p>}
        {step.error && (
          <div className="truncate text-xs text-red-600" title={step.error}>
            {step.error}
          </div>
        )}
      </div>
      <div className="relative h-3 rounded bg-slate-100">
        {!step.copied && (
          <div
            className={`absolute inset-y-0 rounded ${tone[status] ?? "bg-slate-400"}`}
            style={{ left: `${left}%`, width: `${Math.max(width, 0.8)}%` }}
          />
        )}
      </div>
      <div className="text-right text-xs text-slate-500">
        {step.copied ? "not run" : step.endedAt ? seconds(step.endedAt - step.startedAt) : status}
        {step.usage && <div>{step.usage.inputTokens + step.usage.outputTokens} tokens</div>}
      </div>
    </li>
  );
}

/** A model or tool call inside a step: where it went, how long it took, what it cost. */
export function SpanRow({ span, left, width }: { span: SpanView; left: number; width: number }) {
  const failed = span.status !== "ok";
  return (
    <li
      className="grid grid-cols-[14rem_1fr_8.5rem] items-center gap-3 bg-slate-50/60 px-4 py-1.5 text-xs"
      data-testid={`span-${span.nodeId}`}
    >
      <div className="min-w-0 pl-4">
        <div className="truncate">
          <span className="text-slate-500">↳ {span.kind === "model" ? "model" : "tool"}</span>{" "}
          <span className="font-medium">{span.name}</span>
          {span.detail && <span className="text-slate-500"> · {span.detail}</span>}
        </div>
        {span.error && (
          <div className="truncate text-red-600" title={span.error}>
            {span.error}
          </div>
        )}
      </div>
      <div className="relative h-2 rounded bg-slate-100">
        <div
          className={`absolute inset-y-0 rounded ${failed ? "bg-red-400" : span.kind === "model" ? "bg-violet-400" : "bg-sky-400"}`}
          style={{ left: `${left}%`, width: `${Math.max(width, 0.6)}%` }}
        />
      </div>
      <div className="text-right text-slate-500">
        {seconds(span.durationMs)}
        {span.kind === "model" && (
          <div className="whitespace-nowrap">
            {span.tokens} tokens · {usd(span.costUsd)}
          </div>
        )}
        {span.kind === "tool" && <div>{span.status}</div>}
      </div>
    </li>
  );
}

/** Who decided a review step (its output names them: a person, a deadline, an evaluation's policy). */
/** How a person decided a review, in words: "rejected by Tess Tester" (the outcome, not only who). */
function decision(output: unknown): string {
  const { reviewer, decision } = (output ?? {}) as { reviewer?: unknown; decision?: unknown };
  const who = typeof reviewer === "string" && reviewer ? reviewer : "a person";
  return typeof decision === "string" && decision ? `${decision} by ${who}` : `decided by ${who}`;
}
