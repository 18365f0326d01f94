"use client";

import { useEffect, useId, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { api, ApiError } from "@/lib/queries/api-client";
import type { HostedForm } from "@/lib/schemas/triggers";
import { fieldLabel } from "@/lib/schemas/node-kinds/start";

type Field = HostedForm["fields"][number];
type Answer = { status: "COMPLETED"; output: unknown } | { status: "PENDING" | "FAILED"; message: string };

const control =
  "block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500 aria-invalid:ring-red-400";

/** The value a field's text becomes (a number, true/false, parsed JSON), or a problem to show. */
function valueOf(field: Field, raw: string | boolean): { value?: unknown; problem?: string } {
  if (field.type === "boolean") return { value: raw === true };
  const text = String(raw);
  if (text.trim() === "") return field.required ? { problem: "Fill this in" } : {};
  if (field.type === "number")
    return Number.isFinite(Number(text)) ? { value: Number(text) } : { problem: "Write a number" };
  if (field.type === "json") {
    try {
      return { value: JSON.parse(text) };
    } catch {
      return { problem: "Write valid JSON" };
    }
  }
  return { value: text };
}

function FieldInput({
  field,
  value,
  problem,
  onChange,
}: {
  field: Field;
  value: string | boolean;
  problem?: string;
  onChange: (v: string | boolean) => void;
}) {
  const id = useId();
  const hint = field.description ? `${id}-hint` : undefined;
  const error = problem ? `${id}-error` : undefined;
  const describedBy = [hint, error].filter(Boolean).join(" ") || undefined;
  const label = (
    <label htmlFor={id} className="block text-sm font-medium text-slate-800">
      {fieldLabel(field.name)}
      {field.required ? <span className="font-normal text-slate-500"> (required)</span> : null}
    </label>
  );
  return (
    <div className="space-y-1.5">
      {field.type === "boolean" ? (
        <div className="flex items-center gap-2">
          <input
            id={id}
            type="checkbox"
            checked={value === true}
            aria-describedby={describedBy}
            onChange={(e) => onChange(e.target.checked)}
          />
          {label}
        </div>
      ) : (
        <>
          {label}
          {field.type === "text" || field.type === "json" ? (
            <textarea
              id={id}
              rows={field.type === "json" ? 4 : 5}
              className={`${control} ${field.type === "json" ? "font-mono" : ""}`}
              value={String(value)}
              aria-invalid={!!problem || undefined}
              aria-describedby={describedBy}
              required={field.required}
              onChange={(e) => onChange(e.target.value)}
            />
          ) : (
            <input
              id={id}
              type={field.type === "number" ? "number" : "text"}
              step="any"
              className={control}
              value={String(value)}
              aria-invalid={!!problem || undefined}
              aria-describedby={describedBy}
              required={field.required}
              onChange={(e) => onChange(e.target.value)}
            />
          )}
        </>
      )}
      {field.description && (
        <p id={hint} className="text-xs text-slate-600">
          {field.description}
        </p>
      )}
      {problem && (
        <p id={error} className="text-xs text-red-700">
          {problem}
        </p>
      )}
    </div>
  );
}

/** The form of a workflow's Start fields; sent, it shows the run's answer (or a thank-you). */
export function HostedFormView({ form }: { form: HostedForm }) {
  const blank = () => Object.fromEntries(form.fields.map((f) => [f.name, f.type === "boolean" ? false : ""]));
  const [values, setValues] = useState<Record<string, string | boolean>>(blank);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  // The answer replaces the form: the focus goes to it, so a screen reader reads it next.
  useEffect(() => {
    if (answer) resultRef.current?.focus();
  }, [answer]);
  /** After a refusal, the focus goes to the first field said to be wrong. */
  const focusFirstProblem = () =>
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus());

  const send = async () => {
    const input: Record<string, unknown> = {};
    const found: Record<string, string> = {};
    for (const f of form.fields) {
      const { value, problem } = valueOf(f, values[f.name] ?? "");
      if (problem) found[f.name] = problem;
      else if (value !== undefined) input[f.name] = value;
    }
    setProblems(found);
    setError(null);
    if (Object.keys(found).length) return focusFirstProblem();
    setBusy(true);
    try {
      setAnswer(await api<Answer>(`/api/forms/${form.id}`, { body: { input } }));
    } catch (e) {
      const named =
        e instanceof ApiError
          ? e.fields
              .map((f) => [f.path.replace(/^body\.input\./, "").split(".")[0]!, f.message] as const)
              .filter(([name]) => form.fields.some((f) => f.name === name))
          : [];
      // A field the page does not show (the workflow changed since it was opened) is said above the button.
      if (named.length) {
        setProblems(Object.fromEntries(named));
        focusFirstProblem();
      } else setError(e instanceof Error ? e.message : "The answers could not be sent.");
    } finally {
      setBusy(false);
    }
  };

  if (answer)
    return (
      <div className="space-y-4">
        <h1 ref={resultRef} tabIndex={-1} className="text-xl font-semibold text-slate-900 focus:outline-none">
          {form.title}
        </h1>
        {answer.status === "COMPLETED" ? (
          <section aria-labelledby="answer-heading" className="space-y-2">
            <h2 id="answer-heading" className="text-sm font-semibold text-slate-700">
              Answer
            </h2>
            {typeof answer.output === "string" ? (
              <p className="text-sm whitespace-pre-wrap text-slate-900">{answer.output}</p>
            ) : (
              <pre className="overflow-auto rounded bg-slate-50 p-3 font-mono text-xs text-slate-900">
                {JSON.stringify(answer.output, null, 2)}
              </pre>
            )}
          </section>
        ) : (
          <Alert tone={answer.status === "FAILED" ? "error" : "success"}>{answer.message}</Alert>
        )}
        <Button variant="secondary" onClick={() => (setAnswer(null), setValues(blank()))}>
          Send another
        </Button>
      </div>
    );

  return (
    <form
      ref={formRef}
      className="space-y-5"
      aria-labelledby="form-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div className="space-y-1">
        <h1 id="form-title" className="text-xl font-semibold text-slate-900">
          {form.title}
        </h1>
        {form.description && <p className="text-sm text-slate-600">{form.description}</p>}
      </div>
      {form.fields.map((f) => (
        <FieldInput
          key={f.name}
          field={f}
          value={values[f.name] ?? ""}
          problem={problems[f.name]}
          onChange={(v) => {
            setValues((s) => ({ ...s, [f.name]: v }));
            // What was said about the field is about what it held before.
            setProblems(({ [f.name]: _, ...rest }) => rest);
          }}
        />
      ))}
      {error && <Alert>{error}</Alert>}
      <Button type="submit" busy={busy}>
        {busy ? "Sending…" : "Send"}
      </Button>
    </form>
  );
}
