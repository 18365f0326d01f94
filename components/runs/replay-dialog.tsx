"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { TextAreaField } from "@/components/ui/field";
import { ApiError } from "@/lib/queries/api-client";
import { useReplayRun } from "@/lib/queries/runs";
import type { RunView, StepView } from "@/lib/schemas/run";

const pretty = (value: unknown) => JSON.stringify(value ?? null, null, 2);

/**
 * "Replay from here": a new run from this step. The steps before it are copied from this run
 * (not run or paid for again); the person may change what the step reads (the outputs of the
 * steps just before it) or, from the Start step, the run's input, and run on the graph this run
 * ran or on the draft as it is now. Opens the new run's page.
 */
export function ReplayDialog({ run, step, onClose }: { run: RunView; step: StepView; onClose: () => void }) {
  const router = useRouter();
  const replay = useReplayRun(run.workflowId, run.id);
  const label = run.labels[step.nodeId] ?? step.nodeId;
  const fromStart = step.kind === "start";
  // What the step reads: the outputs, in this run, of the steps just before it.
  const reads = fromStart
    ? []
    : (run.inputs[step.nodeId] ?? []).flatMap((id) => {
        const done = run.steps.find((s) => s.nodeId === id && s.status === "done");
        return done ? [{ id, label: run.labels[id] ?? id, text: pretty(done.output) }] : [];
      });
  const [texts, setTexts] = useState<Record<string, string>>(() =>
    fromStart ? { input: pretty(run.input) } : Object.fromEntries(reads.map((r) => [r.id, r.text])),
  );
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [on, setOn] = useState<"run" | "draft">("run");
  const error = replay.error instanceof ApiError ? replay.error : null;
  const serverProblem = (path: string) => error?.fields.find((f) => f.path.startsWith(path))?.message;

  const submit = () => {
    const found: Record<string, string> = {};
    const parsed: Record<string, unknown> = {};
    for (const [key, text] of Object.entries(texts)) {
      try {
        parsed[key] = JSON.parse(text);
      } catch {
        found[key] = "Not valid JSON: check the quotes, commas and brackets.";
      }
    }
    if (fromStart && !found.input && (typeof parsed.input !== "object" || parsed.input === null))
      found.input = "The run's input is an object: { “field”: value, … }.";
    setProblems(found);
    if (Object.keys(found).length) return;
    // Only what changed is sent: the new run marks those copies as edited.
    const changed = reads.filter((r) => JSON.stringify(parsed[r.id]) !== JSON.stringify(JSON.parse(r.text)));
    replay.mutate(
      {
        nodeId: step.nodeId,
        on,
        ...(fromStart && { input: parsed.input as Record<string, unknown> }),
        ...(changed.length && { reads: Object.fromEntries(changed.map((r) => [r.id, parsed[r.id]])) }),
      },
      { onSuccess: ({ id }) => router.push(`/runs/${id}`) },
    );
  };

  return (
    <Dialog title={`Replay from “${label}”`} onClose={onClose} testId="replay-dialog" width="lg">
      <p className="text-sm text-slate-600">
        {fromStart
          ? "Every step runs again, with the input below."
          : `The steps before “${label}” are copied from this run: not run, and not paid for, again. “${label}” and every step after it run again.`}
      </p>
      <form
        noValidate
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        {fromStart ? (
          <TextAreaField
            label="Run input (JSON)"
            rows={6}
            value={texts.input}
            onChange={(e) => setTexts((t) => ({ ...t, input: e.target.value }))}
            error={problems.input ?? serverProblem("body.input")}
          />
        ) : (
          reads.map((r) => (
            <TextAreaField
              key={r.id}
              label={`Output of ${r.label} (JSON)`}
              hint={`What “${label}” reads from “${r.label}”. Change it to try another value.`}
              rows={Math.min(10, r.text.split("\n").length + 1)}
              value={texts[r.id]}
              onChange={(e) => setTexts((t) => ({ ...t, [r.id]: e.target.value }))}
              error={problems[r.id] ?? serverProblem(`body.reads.${r.id}`)}
            />
          ))
        )}
        <fieldset className="space-y-1.5">
          <legend className="text-sm font-medium text-slate-700">Run on</legend>
          {(
            [
              ["run", run.version ? `Version ${run.version}, as this run ran` : "The draft as this run ran it"],
              ["draft", "The draft as it is now (a test run)"],
            ] as const
          ).map(([value, text]) => (
            <label key={value} className="flex items-center gap-2 text-sm text-slate-700">
              <input type="radio" name="on" value={value} checked={on === value} onChange={() => setOn(value)} />
              {text}
            </label>
          ))}
        </fieldset>
        {error && !error.fields.length && <Alert>{error.message}</Alert>}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" busy={replay.isPending}>
            Replay
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
