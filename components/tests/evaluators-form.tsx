"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Labelled, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { ModelPicker } from "@/components/canvas/inspector/model-picker";
import { ApiError } from "@/lib/queries/api-client";
import { useSaveSuite, useSuite } from "@/lib/queries/evaluations";
import { useModelChoices } from "@/lib/queries/gateway";
import { EVALUATOR_LABELS, type Evaluator } from "@/lib/schemas/evaluations";

/** One line about an evaluator's settings. */
export function evaluatorSummary(e: Evaluator): string {
  switch (e.kind) {
    case "regex":
      return `${EVALUATOR_LABELS.regex}: ${e.pattern}`;
    case "json-schema":
      return EVALUATOR_LABELS["json-schema"];
    case "jsonata":
      return `${EVALUATOR_LABELS.jsonata}: ${e.expression}`;
    case "numeric":
      return `${EVALUATOR_LABELS.numeric} (±${e.tolerance})`;
    case "judge":
      return `${EVALUATOR_LABELS.judge}: ${e.model}, passes at ${e.passScore}`;
    default:
      return EVALUATOR_LABELS[e.kind];
  }
}

/** The workflow's evaluators: every one must pass for a case to pass. */
export function EvaluatorsForm({ workflowId }: { workflowId: string }) {
  const suite = useSuite(workflowId);
  const save = useSaveSuite(workflowId);
  const [kind, setKind] = useState<Evaluator["kind"]>("contains");
  const [text, setText] = useState("");
  const [model, setModel] = useState("");
  const [number, setNumber] = useState("0.7");
  const evaluators = suite.data?.evaluators ?? [];
  // The built-in demo model simulates answers: as a judge it never gives a score.
  const simulated = useModelChoices().data?.find((m) => m.name === model)?.builtIn;
  const replace = (next: Evaluator[]) => suite.data && save.mutate({ ...suite.data, evaluators: next });

  const made = (): Evaluator => {
    switch (kind) {
      case "regex":
        return { kind, pattern: text };
      case "json-schema":
        return { kind, schema: text };
      case "jsonata":
        return { kind, expression: text };
      case "numeric":
        return { kind, tolerance: Number(number) };
      case "judge":
        return { kind, model, rubric: text, passScore: Number(number) };
      default:
        return { kind };
    }
  };

  return (
    <section aria-labelledby="evaluators-title" className="space-y-3">
      <h2 id="evaluators-title" className="text-lg font-semibold">
        Evaluators
      </h2>
      <p className="text-sm text-slate-600">A case passes when every evaluator passes it.</p>
      {evaluators.length ? (
        <ul
          className="divide-y divide-slate-100 rounded-xl bg-white shadow-sm ring-1 ring-slate-200"
          aria-label="Evaluators"
        >
          {evaluators.map((e, i) => (
            <li key={i} className="flex items-center justify-between gap-3 px-4 py-2 text-sm">
              <span className="min-w-0 truncate">{evaluatorSummary(e)}</span>
              <Button size="sm" variant="secondary" onClick={() => replace(evaluators.filter((_, j) => j !== i))}>
                Remove<span className="sr-only"> {evaluatorSummary(e)}</span>
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="rounded-xl bg-white px-4 py-4 text-sm text-slate-500 ring-1 ring-slate-200">No evaluators yet.</p>
      )}
      <form
        aria-label="New evaluator"
        noValidate
        className="grid gap-3 rounded-xl bg-slate-50 p-4 ring-1 ring-slate-200 md:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          replace([...evaluators, made()]);
          setText("");
        }}
      >
        <SelectField
          label="Check"
          value={kind}
          onChange={(e) => setKind(e.target.value as Evaluator["kind"])}
          options={Object.entries(EVALUATOR_LABELS).map(([value, label]) => ({ value, label }))}
        />
        {kind === "judge" && (
          <Labelled
            label="Judge model"
            hint={
              simulated
                ? "The built-in demo model only simulates answers and cannot grade: pick a model an admin connected."
                : "One of the models you may use; it scores each output from 0 to 1."
            }
            control={(wiring) => <ModelPicker {...wiring} value={model} onChange={setModel} />}
          />
        )}
        {(kind === "regex" || kind === "jsonata") && (
          <TextField
            label={kind === "regex" ? "Pattern" : "JSONata check (output, expected and input are there)"}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        )}
        {(kind === "json-schema" || kind === "judge") && (
          <TextAreaField
            label={kind === "judge" ? "Rubric (a case's own rubric comes first)" : "JSON Schema"}
            rows={3}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        )}
        {(kind === "numeric" || kind === "judge") && (
          <TextField
            label={kind === "numeric" ? "Tolerance" : "Passing score (0 to 1)"}
            type="number"
            step="any"
            value={number}
            onChange={(e) => setNumber(e.target.value)}
          />
        )}
        <div className="md:col-span-2">
          <Button type="submit" busy={save.isPending} disabled={!suite.data}>
            Add evaluator
          </Button>
        </div>
        {save.error && (
          <div className="md:col-span-2">
            {/* The server names the field ("body.evaluators.1.model"); the form says what to do. */}
            <Alert>{(save.error instanceof ApiError && save.error.fields[0]?.message) || save.error.message}</Alert>
          </div>
        )}
      </form>
    </section>
  );
}
