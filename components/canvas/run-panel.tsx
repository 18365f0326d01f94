"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import Link from "next/link";
import { toast } from "sonner";
import { useDecideReview, useRetryRun, useRun, useRuns, useStartRun, type LiveRun } from "@/lib/queries/runs";
import type { WorkflowGraph } from "@/lib/schemas/workflow";
import { RUN_TRIGGER_LABELS, runTriggerSchema, shownStepStatus, type RunTrigger } from "@/lib/schemas/run";
import { Moment } from "@/components/ui/moment-text";
import { useCancelRunAsked } from "@/components/runs/use-cancel-run-asked";

const badge: Record<string, string> = {
  running: "bg-sky-100 text-sky-800",
  done: "bg-emerald-100 text-emerald-800",
  completed: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  waiting: "bg-amber-100 text-amber-800",
  skipped: "bg-slate-100 text-slate-500",
  interrupted: "bg-slate-100 text-slate-600",
  stopped: "bg-slate-200 text-slate-700",
  cancelled: "bg-slate-200 text-slate-700",
  connecting: "bg-slate-100 text-slate-500",
};

/** A step's output as a person reads it: its text when it has one, else compact JSON. */
const preview = (v: unknown) => {
  const textField =
    v && typeof v === "object" && typeof (v as { text?: unknown }).text === "string"
      ? (v as { text: string }).text
      : undefined;
  const text = textField ?? (typeof v === "string" ? v : JSON.stringify(v, null, 1));
  return text && text.length > 400 ? `${text.slice(0, 400)}…` : text;
};

/** The active run, live: each step's status, streamed text, output or error; review buttons; history. */
export function RunPanel({
  workflowId,
  graph,
  runId,
  live,
  canDecide,
  onPick,
}: {
  workflowId: string;
  graph: WorkflowGraph;
  runId: string | null;
  live: LiveRun | null;
  canDecide: boolean;
  onPick: (id: string) => void;
}) {
  const client = useQueryClient();
  const [startedBy, setStartedBy] = useState<RunTrigger | null>(null);
  const runs = useRuns(workflowId, startedBy);
  const run = useRun(runId);
  const cancel = useCancelRunAsked();
  const decide = useDecideReview();
  const rerun = useStartRun(workflowId);
  const retry = useRetryRun(workflowId);
  const ended = live && ["completed", "failed", "cancelled"].includes(live.status);
  useEffect(() => {
    if (live?.status && live.status !== "connecting") {
      void client.invalidateQueries({ queryKey: ["run", runId] });
      void client.invalidateQueries({ queryKey: ["runs", workflowId] });
    }
    // Previews of mappings and code read the last run's data: a run that ended is that run now.
    if (ended) void client.invalidateQueries({ queryKey: ["expression-preview", workflowId] });
  }, [live?.status, ended, client, runId, workflowId]);

  const decideReview = (reviewId: string, label: string, outcome: "approved" | "rejected") =>
    decide.mutate(
      { reviewId, outcome, comment: "" },
      {
        onSuccess: () => {
          toast.success(`${outcome === "approved" ? "Approved" : "Rejected"} “${label}”. The run goes on.`);
          void client.invalidateQueries({ queryKey: ["run", runId] });
        },
      },
    );

  const order = graph.nodes.filter((n) => n.kind !== "note" && live?.steps[n.id]);
  return (
    <div className="space-y-4" data-testid="run-panel">
      {runId && live && (
        <div className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <span
              className={`rounded-full px-2 py-0.5 text-xs font-semibold ${badge[live.status]}`}
              data-testid="run-status"
            >
              {live.status}
            </span>
            <span className="flex flex-wrap items-center justify-end gap-2">
              <Link
                href={`/runs/${runId}`}
                className="text-xs font-medium whitespace-nowrap text-brand-600 hover:underline"
              >
                Open run page
              </Link>
              {!ended && (
                <Button variant="danger" busy={cancel.pending} onClick={() => void cancel.ask(runId)}>
                  Cancel run
                </Button>
              )}
              {(live.status === "failed" || live.status === "cancelled") && (
                <Button
                  variant="secondary"
                  busy={retry.isPending}
                  onClick={() => retry.mutate(runId, { onSuccess: (r) => onPick(r.id) })}
                  title="Reuses the steps that finished; runs the rest with the draft as it is now"
                >
                  {live.status === "failed" ? "Retry from failed step" : "Retry from where it stopped"}
                </Button>
              )}
              {ended && run.data && (
                <Button
                  variant="secondary"
                  busy={rerun.isPending}
                  onClick={() =>
                    rerun.mutate({ input: run.data!.input, mode: "draft" }, { onSuccess: (r) => onPick(r.id) })
                  }
                >
                  Run again
                </Button>
              )}
            </span>
          </div>
          {[decide.error, rerun.error, retry.error].map(
            (e, i) =>
              e && (
                <p key={i} role="alert" className="rounded-md bg-red-50 p-2 text-xs text-red-800 ring-1 ring-red-200">
                  {e.message}
                </p>
              ),
          )}
          {live.error && (
            <p className="rounded-md bg-red-50 p-2 text-xs text-red-800 ring-1 ring-red-200">{live.error}</p>
          )}
          {live.status === "completed" && (
            <div
              className="rounded-md bg-emerald-50 p-2 text-xs text-emerald-900 ring-1 ring-emerald-200"
              data-testid="run-output"
            >
              <div className="font-medium">Result</div>
              <pre className="mt-1 font-sans whitespace-pre-wrap">{preview(live.output)}</pre>
            </div>
          )}
          <ol className="space-y-2">
            {order.map((n) => {
              const step = live.steps[n.id]!;
              // A step left waiting when the run ended (cancelled) reads "stopped", with nothing to decide.
              const s = { ...step, status: shownStepStatus(step.status, !!ended) };
              const review = run.data?.reviews.find((r) => r.nodeId === n.id && r.status === "PENDING");
              return (
                <li
                  key={n.id}
                  className="rounded-md p-2 text-xs ring-1 ring-slate-200"
                  data-testid={`run-step-${n.id}`}
                >
                  <div className="flex items-center justify-between">
                    <span className="font-medium text-slate-800">{n.label}</span>
                    <span className={`rounded-full px-1.5 py-0.5 text-[10px] font-semibold ${badge[s.status]}`}>
                      {s.status}
                    </span>
                  </div>
                  {s.status === "running" && s.streamed && (
                    <p className="mt-1 whitespace-pre-wrap text-slate-600">{s.streamed}▍</p>
                  )}
                  {s.error && <p className="mt-1 text-red-700">{s.error}</p>}
                  {s.status === "done" && s.output !== undefined && (
                    <pre className="mt-1 max-h-32 overflow-auto font-sans whitespace-pre-wrap text-slate-600">
                      {preview(s.output)}
                    </pre>
                  )}
                  {s.logs && (
                    <pre
                      aria-label={`Console of ${n.label}`}
                      className="mt-1 max-h-24 overflow-auto rounded bg-slate-900 p-1.5 font-mono text-[11px] whitespace-pre-wrap text-slate-100"
                    >
                      {s.logs.join("\n")}
                    </pre>
                  )}
                  {s.status === "waiting" && review && canDecide && !review.whyNot && (
                    <div className="mt-2 flex gap-2">
                      <Button busy={decide.isPending} onClick={() => decideReview(review.id, n.label, "approved")}>
                        Approve
                      </Button>
                      <Button
                        variant="danger"
                        busy={decide.isPending}
                        onClick={() => decideReview(review.id, n.label, "rejected")}
                      >
                        Reject
                      </Button>
                      <Link href={`/inbox/${review.id}`} className="self-center font-medium text-brand-700 underline">
                        Open the review
                      </Link>
                    </div>
                  )}
                  {s.status === "waiting" && review?.whyNot && (
                    <p className="mt-1 text-amber-900" role="note">
                      {review.whyNot}
                    </p>
                  )}
                  {s.status === "waiting" && !canDecide && !review?.whyNot && (
                    <p className="mt-1 text-amber-900">Waiting for a reviewer.</p>
                  )}
                </li>
              );
            })}
          </ol>
        </div>
      )}
      {!runId && <p className="text-sm text-slate-500">Press Run to start a test run of the draft.</p>}
      <div>
        <div className="mb-1.5 flex items-center justify-between gap-2">
          <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Recent runs</h3>
          <label className="flex items-center gap-1 text-xs text-slate-600">
            Started by
            <select
              value={startedBy ?? ""}
              onChange={(e) => setStartedBy((e.target.value || null) as RunTrigger | null)}
              className="rounded border-0 py-0.5 pr-6 pl-1.5 text-xs ring-1 ring-slate-300"
            >
              <option value="">Anything</option>
              {runTriggerSchema.options
                .filter((t) => t !== "subworkflow")
                .map((t) => (
                  <option key={t} value={t}>
                    {RUN_TRIGGER_LABELS[t]}
                  </option>
                ))}
            </select>
          </label>
        </div>
        <ul className="space-y-1" data-testid="run-history">
          {(runs.data ?? []).map((r) => (
            <li key={r.id}>
              <button
                type="button"
                onClick={() => onPick(r.id)}
                className={`flex w-full items-center justify-between rounded px-2 py-1 text-xs hover:bg-slate-50 ${r.id === runId ? "bg-brand-50" : ""}`}
              >
                <span className="text-slate-600">
                  <Moment at={r.createdAt} seconds />
                  {r.version ? ` · v${r.version}` : " · draft"} · {RUN_TRIGGER_LABELS[r.trigger]}
                </span>
                <span
                  className={`rounded-full px-1.5 py-0.5 text-[10px] font-semibold ${badge[r.status.toLowerCase()]}`}
                >
                  {r.status.toLowerCase()}
                </span>
              </button>
            </li>
          ))}
          {runs.data?.length === 0 && (
            <li className="text-xs text-slate-500">{startedBy ? "No runs started this way yet." : "No runs yet."}</li>
          )}
        </ul>
      </div>
    </div>
  );
}
