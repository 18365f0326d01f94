"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Fragment, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { useRun, useRunStream } from "@/lib/queries/runs";
import { isEnded, type RunView, type StepView } from "@/lib/schemas/run";
import { LargeValue } from "./large-value";
import { ReplayDialog } from "./replay-dialog";
import { AddToTestCases } from "./add-to-test-cases";
import { ReplayOrigin } from "./replay-origin";
import { Moment } from "@/components/ui/moment-text";
import { seconds, SpanRow, StepRow } from "./timeline-rows";
import { useCancelRunAsked } from "./use-cancel-run-asked";

/**
 * A run explained: what went in, what came out, and a timeline of every step attempt. Named by
 * its workflow and when it started; the run's id is there to copy, not to read.
 */
export function RunDetail({
  initial,
  canCancel = false,
}: {
  initial: RunView;
  /** The viewer may cancel runs (builders and admins): a run not yet ended offers it here too. */
  canCancel?: boolean;
}) {
  const cancel = useCancelRunAsked();
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
  const [replaying, setReplaying] = useState<StepView | null>(null);
  // An ended run of its own (not a Loop's or Sub-workflow's part) can be replayed from any step that ran.
  const replayable = (s: StepView) =>
    isEnded(run.status) && !run.parentRunId && (s.status === "done" || s.status === "failed");
  const toggle = (key: string) =>
    setOpen((o) => (o.has(key) ? new Set([...o].filter((k) => k !== key)) : new Set(o).add(key)));
  // In the order they started, but what reads nothing (the Start) first: a pinned step is
  // answered the moment the run begins, before the Start has run.
  const first = (s: StepView) => (run.inputs[s.nodeId]?.length ? 1 : 0);
  const steps = [...run.steps].sort(
    (a, b) => first(a) - first(b) || a.startedAt - b.startedAt || a.attempt - b.attempt,
  );
  // Copied steps ran in the earlier run: the bars span this run's own steps.
  const ran = steps.filter((s) => !s.copied);
  const t0 = ran[0]?.startedAt ?? 0;
  const tEnd = Math.max(t0 + 1, ...ran.map((s) => s.endedAt ?? now));
  const span = tEnd - t0;

  return (
    <div className="space-y-6" data-testid="run-detail">
      <div>
        {run.parent ? (
          <Link href={`/runs/${run.parent.runId}`} className="text-sm text-brand-600 hover:underline">
            ← the run of {run.parent.workflowName}
          </Link>
        ) : (
          <Link href={`/workflows/${run.workflowId}`} className="text-sm text-brand-600 hover:underline">
            ← {run.workflowName}
          </Link>
        )}
        <div className="mt-1 flex flex-wrap items-baseline gap-x-3 gap-y-1">
          <h1 className="text-2xl font-semibold tracking-tight">
            {run.workflowName}{" "}
            <span className="font-normal text-slate-500">
              · run of <Moment at={run.createdAt} />
            </span>
          </h1>
          <span className="inline-flex items-center gap-2 text-xs text-slate-500">
            <span>
              id <span className="font-mono">{run.id.slice(-8)}</span>
            </span>
            <CopyButton value={run.id} what="run id" confirmation="Run id copied" size="sm" />
          </span>
          {run.status === "COMPLETED" && !run.parentRunId && <AddToTestCases run={run} />}
          {canCancel && !isEnded(run.status) && (
            <Button variant="danger" size="sm" busy={cancel.pending} onClick={() => void cancel.ask(run.id)}>
              Cancel run
            </Button>
          )}
        </div>
        <p className="text-sm text-slate-600">
          <span data-testid="run-detail-status" className="font-medium">
            {run.status.toLowerCase()}
          </span>{" "}
          ·{" "}
          {run.version
            ? `version ${run.version}`
            : run.trigger === "evaluation"
              ? "the draft"
              : "test run of the draft"}
          {run.trigger === "evaluation" && (
            <>
              , a case of an{" "}
              <Link href={`/workflows/${run.workflowId}/tests`} className="text-brand-700 underline">
                evaluation
              </Link>{" "}
              (nothing reached outside)
            </>
          )}{" "}
          {run.parent && (
            <>
              {" "}
              ·{" "}
              <span data-testid="run-parent">
                {run.parent.loop && run.parent.item !== null
                  ? `item ${run.parent.item + 1} of the Loop “${run.parent.stepLabel}” in `
                  : `started by the step “${run.parent.stepLabel}” in `}
                <Link href={`/runs/${run.parent.runId}`} className="text-brand-700 underline">
                  a run of {run.parent.workflowName}
                </Link>
              </span>
            </>
          )}{" "}
          · started <Moment at={run.createdAt} seconds />
          {run.endedAt &&
            ` · took ${seconds(new Date(run.endedAt).getTime() - new Date(run.startedAt ?? run.createdAt).getTime())}`}
        </p>
      </div>
      {run.replayOf && <ReplayOrigin run={{ ...run, replayOf: run.replayOf }} />}
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
              <StepRow
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
                runEnded={isEnded(run.status)}
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
                  {s.kind === "loop" && <LoopItems step={s} />}
                  {replayable(s) && (
                    <div className="md:col-span-2">
                      <Button
                        size="sm"
                        variant="secondary"
                        aria-label={`Replay from here: ${run.labels[s.nodeId] ?? s.nodeId}`}
                        onClick={() => setReplaying(s)}
                      >
                        Replay from here
                      </Button>
                    </div>
                  )}
                  {s.logs && (
                    <div className="md:col-span-2">
                      <h3 className="mb-1 text-xs font-semibold text-slate-500 uppercase" id={`console-${s.nodeId}`}>
                        Console ({s.logs.length} {s.logs.length === 1 ? "line" : "lines"})
                      </h3>
                      <pre
                        aria-labelledby={`console-${s.nodeId}`}
                        className="max-h-64 overflow-auto rounded-md bg-slate-900 p-2 font-mono text-xs whitespace-pre-wrap text-slate-100"
                      >
                        {s.logs.join("\n")}
                      </pre>
                    </div>
                  )}
                </li>
              )}
            </Fragment>
          ))}
        </ol>
      </section>
      {replaying && <ReplayDialog run={run} step={replaying} onClose={() => setReplaying(null)} />}
    </div>
  );
}

/** A Loop step's items, each a link to its own run (the body's steps, its review); a failed one says so. */
function LoopItems({ step }: { step: StepView }) {
  const of = (v: unknown) => (v && typeof v === "object" ? (v as { runs?: unknown }).runs : undefined);
  const runs = of(step.output) ?? of(step.input);
  if (!Array.isArray(runs) || runs.length === 0) return null;
  const failures = (step.output as { failures?: { index: number; error: string }[] } | null)?.failures ?? [];
  const failed = new Map(failures.map((f) => [f.index, f.error]));
  return (
    <div className="md:col-span-2">
      <h3 className="mb-1 text-xs font-semibold text-slate-500 uppercase">Items ({runs.length})</h3>
      <ol className="flex flex-wrap gap-2 text-xs">
        {runs.map((id, i) => (
          <li key={i}>
            {typeof id === "string" ? (
              <Link
                href={`/runs/${id}`}
                title={failed.get(i)}
                className={`rounded px-2 py-1 font-medium hover:underline ${failed.has(i) ? "bg-red-50 text-red-800 ring-1 ring-red-300" : "bg-white text-brand-700 ring-1 ring-slate-200"}`}
              >
                Item {i + 1}
                {failed.has(i) && ": failed"}
              </Link>
            ) : (
              <span className="rounded px-2 py-1 text-slate-500 ring-1 ring-slate-200">Item {i + 1}: not started</span>
            )}
          </li>
        ))}
      </ol>
    </div>
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
