"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Fragment, useEffect, useState } from "react";
import { LargeValue } from "./large-value";
import { useRun, useRunStream } from "@/lib/queries/runs";
import { isEnded, type RunView, type SpanView, type StepView } from "@/lib/schemas/run";

const tone: Record<string, string> = {
  running: "bg-sky-500",
  done: "bg-emerald-500",
  failed: "bg-red-500",
  waiting: "bg-amber-500",
  skipped: "bg-slate-300",
  interrupted: "bg-slate-400",
};

const seconds = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/** A run explained: what went in, what came out, and a timeline of every step attempt. */
export function RunDetail({ initial }: { initial: RunView }) {
  const client = useQueryClient();
  // Read again every few seconds until it ends: the page shows the end even if the stream fails.
  const query = useRun(initial.id, !isEnded(initial.status));
  const run = query.data ?? initial;
  // Unfinished steps are drawn up to the moment the page last fetched the run.
  const now = query.dataUpdatedAt || new Date(run.endedAt ?? run.createdAt).getTime();
  const live = useRunStream(isEnded(initial.status) ? null : initial.id);
  useEffect(() => {
    if (live) void client.invalidateQueries({ queryKey: ["run", initial.id] });
  }, [live, client, initial.id]);

  // Open a step's input and output by clicking it (or by ?step=<id>, as the inbox links).
  const linked = useSearchParams().get("step");
  const [open, setOpen] = useState<Set<string>>(() => new Set(linked ? [linked] : []));
  const toggle = (key: string) =>
    setOpen((o) => (o.has(key) ? new Set([...o].filter((k) => k !== key)) : new Set(o).add(key)));
  const steps = [...run.steps].sort((a, b) => a.startedAt - b.startedAt || a.attempt - b.attempt);
  const t0 = steps[0]?.startedAt ?? 0;
  const tEnd = Math.max(t0 + 1, ...steps.map((s) => s.endedAt ?? now));
  const span = tEnd - t0;

  return (
    <div className="space-y-6" data-testid="run-detail">
      <div>
        <Link href={`/workflows/${run.workflowId}`} className="text-sm text-brand-600 hover:underline">
          ← {run.workflowName}
        </Link>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">
          Run <span className="font-mono text-lg text-slate-500">{run.id.slice(-8)}</span>
        </h1>
        <p className="text-sm text-slate-600">
          <span data-testid="run-detail-status" className="font-medium">
            {run.status.toLowerCase()}
          </span>{" "}
          · {run.version ? `version ${run.version}` : "test run of the draft"} · started{" "}
          {new Date(run.createdAt).toLocaleString()}
          {run.endedAt &&
            ` · took ${seconds(new Date(run.endedAt).getTime() - new Date(run.startedAt ?? run.createdAt).getTime())}`}
        </p>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <Box title="Input">{JSON.stringify(run.input, null, 2)}</Box>
        <Box title={run.error ? "Error" : "Result"} tone={run.error ? "error" : "plain"}>
          {run.error ??
            (run.output === null
              ? "—"
              : typeof run.output === "string"
                ? run.output
                : JSON.stringify(run.output, null, 2))}
        </Box>
      </div>
      <section className="overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
        <h2 className="border-b border-slate-100 px-4 py-3 text-sm font-semibold">Timeline</h2>
        <ol className="divide-y divide-slate-100" data-testid="timeline">
          {steps.map((s) => (
            <Fragment key={`${s.nodeId}#${s.attempt}`}>
              <Row
                step={s}
                label={run.labels[s.nodeId] ?? s.nodeId}
                left={((s.startedAt - t0) / span) * 100}
                width={(((s.endedAt ?? now) - s.startedAt) / span) * 100}
                open={open.has(s.nodeId) || open.has(`${s.nodeId}#${s.attempt}`)}
                review={
                  s.status === "waiting"
                    ? run.reviews.find((r) => r.nodeId === s.nodeId && r.status === "PENDING")
                    : undefined
                }
                onToggle={() => toggle(`${s.nodeId}#${s.attempt}`)}
              />
              {(run.spans ?? [])
                .filter(
                  (c) =>
                    c.nodeId === s.nodeId &&
                    c.startedAt >= s.startedAt - 100 &&
                    c.startedAt <= (s.endedAt ?? now) + 100,
                )
                .map((c, i) => (
                  <SpanRow
                    key={i}
                    span={c}
                    left={((c.startedAt - t0) / span) * 100}
                    width={(c.durationMs / span) * 100}
                  />
                ))}
              {(open.has(s.nodeId) || open.has(`${s.nodeId}#${s.attempt}`)) && (
                <li
                  className="grid gap-4 bg-slate-50/40 px-4 py-3 md:grid-cols-2"
                  data-testid={`step-detail-${s.nodeId}`}
                >
                  <div>
                    <div className="mb-1 text-xs font-semibold text-slate-500 uppercase">Input</div>
                    <LargeValue value={s.input} testId="step-input" />
                  </div>
                  <div>
                    <div
                      className={`mb-1 text-xs font-semibold uppercase ${s.error ? "text-red-600" : "text-slate-500"}`}
                    >
                      {s.error ? "Error" : "Output"}
                    </div>
                    {s.error ? (
                      <pre className="rounded-md bg-red-50 p-2 text-xs whitespace-pre-wrap text-red-800 ring-1 ring-red-200">
                        {s.error}
                      </pre>
                    ) : (
                      <LargeValue value={s.output} testId="step-output" />
                    )}
                  </div>
                </li>
              )}
            </Fragment>
          ))}
        </ol>
      </section>
    </div>
  );
}

function Row({
  step,
  label,
  left,
  width,
  open,
  review,
  onToggle,
}: {
  step: StepView;
  review?: RunView["reviews"][number];
  label: string;
  left: number;
  width: number;
  open: boolean;
  onToggle: () => void;
}) {
  return (
    <li
      className={`grid grid-cols-[14rem_1fr_7rem] items-center gap-3 px-4 py-2 text-sm ${step.status === "failed" ? "bg-red-50/60" : ""}`}
      data-testid={`timeline-${step.nodeId}`}
    >
      <div className="min-w-0">
        <button
          type="button"
          onClick={onToggle}
          aria-expanded={open}
          className="flex max-w-full items-center gap-1 truncate text-left font-medium hover:text-brand-700"
        >
          <span className="text-xs text-slate-400" aria-hidden>
            {open ? "▾" : "▸"}
          </span>
          {label}
        </button>
        <div className="text-xs text-slate-500">
          {step.kind} ·{" "}
          {step.kind === "human-review" && step.status === "waiting"
            ? "waiting for a person"
            : step.kind === "human-review" && step.status === "done"
              ? "decided after a wait"
              : step.status}
          {step.attempt > 1 && ` · attempt ${step.attempt}`}
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
        <div
          className={`absolute inset-y-0 rounded ${tone[step.status] ?? "bg-slate-400"}`}
          style={{ left: `${left}%`, width: `${Math.max(width, 0.8)}%` }}
        />
      </div>
      <div className="text-right text-xs text-slate-500">
        {step.endedAt ? seconds(step.endedAt - step.startedAt) : step.status}
        {step.usage && <div>{step.usage.inputTokens + step.usage.outputTokens} tokens</div>}
      </div>
    </li>
  );
}

const usd = (v: number) => `$${v < 1 ? v.toFixed(4) : v.toFixed(2)}`;

/** A model or tool call inside a step: where it went, how long it took, what it cost. */
function SpanRow({ span, left, width }: { span: SpanView; left: number; width: number }) {
  const failed = span.status !== "ok";
  return (
    <li
      className="grid grid-cols-[14rem_1fr_7rem] items-center gap-3 bg-slate-50/60 px-4 py-1.5 text-xs"
      data-testid={`span-${span.nodeId}`}
    >
      <div className="min-w-0 pl-4">
        <div className="truncate">
          <span className="text-slate-400">↳ {span.kind === "model" ? "model" : "tool"}</span>{" "}
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
          <div>
            {span.tokens} tokens · {usd(span.costUsd)}
          </div>
        )}
        {span.kind === "tool" && <div>{span.status}</div>}
      </div>
    </li>
  );
}

function Box({
  title,
  tone = "plain",
  children,
}: {
  title: string;
  tone?: "plain" | "error";
  children: React.ReactNode;
}) {
  return (
    <div className={`rounded-xl p-4 ring-1 ${tone === "error" ? "bg-red-50 ring-red-200" : "bg-white ring-slate-200"}`}>
      <h2 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h2>
      <pre
        className="mt-2 max-h-64 overflow-auto font-sans text-sm whitespace-pre-wrap"
        data-testid={`run-${title.toLowerCase()}`}
      >
        {children}
      </pre>
    </div>
  );
}
