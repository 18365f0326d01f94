"use client";

import { useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { useCancelEvaluation, useEvaluations, useStartEvaluation } from "@/lib/queries/evaluations";
import { CompareEvaluations } from "./compare-evaluations";
import { evaluationName, passRate } from "./evaluation-names";
import { EvaluationResults } from "./evaluation-results";
import { usd } from "@/lib/schemas/money";

/** Run an evaluation (on the draft or a version, so many cases at once), follow it, read and compare results. */
export function EvaluationPanel({
  workflowId,
  publishedVersion,
}: {
  workflowId: string;
  publishedVersion: number | null;
}) {
  const evaluations = useEvaluations(workflowId);
  const start = useStartEvaluation(workflowId);
  const cancel = useCancelEvaluation(workflowId);
  const [on, setOn] = useState("draft");
  const [concurrency, setConcurrency] = useState("4");
  const [chosen, setChosen] = useState<string | null>(null);
  const [against, setAgainst] = useState("");
  const list = evaluations.data ?? [];
  const shown = list.find((e) => e.id === chosen) ?? list[0];
  const other = list.find((e) => e.id === against);
  // An evaluation just started is brought into view: below the form, it may start off screen.
  const started = useRef<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!shown || shown.id !== started.current) return;
    started.current = null;
    box.current?.scrollIntoView({ block: "nearest" });
  }, [shown]);
  const versions = Array.from({ length: Math.min(publishedVersion ?? 0, 10) }, (_, i) => publishedVersion! - i);

  return (
    <section aria-labelledby="evaluations-title" className="space-y-4">
      <h2 id="evaluations-title" className="text-lg font-semibold">
        Evaluations
      </h2>
      <form
        aria-label="Run an evaluation"
        noValidate
        className="flex flex-wrap items-end gap-3 rounded-xl bg-slate-50 p-4 ring-1 ring-slate-200"
        onSubmit={(e) => {
          e.preventDefault();
          start.mutate(
            { on: on === "draft" ? "draft" : Number(on), concurrency: Number(concurrency) },
            { onSuccess: ({ id }) => ((started.current = id), setChosen(id)) },
          );
        }}
      >
        <SelectField
          label="Run on"
          value={on}
          onChange={(e) => setOn(e.target.value)}
          options={[
            { value: "draft", label: "The draft" },
            ...versions.map((v) => ({ value: String(v), label: `Version ${v}` })),
          ]}
        />
        <TextField
          label="Cases at once"
          type="number"
          min={1}
          max={20}
          value={concurrency}
          onChange={(e) => setConcurrency(e.target.value)}
        />
        <Button type="submit" busy={start.isPending}>
          Run evaluation
        </Button>
      </form>
      {start.error && <Alert>{start.error.message}</Alert>}
      {list.length > 1 && (
        <SelectField
          label="Show"
          value={shown?.id ?? ""}
          onChange={(e) => setChosen(e.target.value)}
          options={list.map((e) => ({ value: e.id, label: evaluationName(e) }))}
        />
      )}
      {shown && (
        <div
          ref={box}
          className="space-y-3 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200"
          data-testid="evaluation"
        >
          <div className="flex flex-wrap items-baseline justify-between gap-3">
            <h3 className="font-semibold">{evaluationName(shown)}</h3>
            <p className="text-sm text-slate-600" data-testid="evaluation-summary">
              {shown.status === "RUNNING" ? "running" : shown.status.toLowerCase()} · {shown.passed} of {shown.done}{" "}
              passed ({passRate(shown)}%) · {usd(shown.costUsd)} · p50 {shown.p50Ms ?? "—"} ms · p95{" "}
              {shown.p95Ms ?? "—"} ms
            </p>
          </div>
          {shown.status === "RUNNING" && (
            <div className="flex items-center gap-3">
              <progress
                className="h-2 flex-1"
                max={shown.total}
                value={shown.done}
                aria-label={`Cases done: ${shown.done} of ${shown.total}`}
              />
              <span className="text-xs text-slate-600">
                {shown.done} of {shown.total}
              </span>
              <Button size="sm" variant="secondary" busy={cancel.isPending} onClick={() => cancel.mutate(shown.id)}>
                Cancel
              </Button>
            </div>
          )}
          <EvaluationResults workflowId={workflowId} evaluation={shown} />
          {list.length > 1 && (
            <SelectField
              label="Compare with"
              value={against}
              onChange={(e) => setAgainst(e.target.value)}
              options={[
                { value: "", label: "—" },
                ...list.filter((e) => e.id !== shown.id).map((e) => ({ value: e.id, label: evaluationName(e) })),
              ]}
            />
          )}
          {other && <CompareEvaluations workflowId={workflowId} a={other} b={shown} />}
        </div>
      )}
    </section>
  );
}
