"use client";

import Link from "next/link";
import { useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/field";
import { ApiError } from "@/lib/queries/api-client";
import { useAddCases, useCases, useDeleteCase, useImportCases, useUpdateCase } from "@/lib/queries/evaluations";
import type { StartField } from "@/lib/engine/graph/check-run-input";
import type { CaseView } from "@/lib/schemas/evaluations";

export type StartFieldView = Pick<StartField, "name" | "type" | "required">;

/** A placeholder for each Start field, so a new case's input shows the names it takes. */
const SAMPLE: Record<StartField["type"], unknown> = { string: "", text: "", number: 0, boolean: false, json: {} };
const inputTemplate = (fields: StartFieldView[]) =>
  fields.length ? JSON.stringify(Object.fromEntries(fields.map((f) => [f.name, SAMPLE[f.type]])), null, 2) : "{}";

/** The server's word on a case's input, said of the Start field it names ("“topic” is required"). */
function inputProblem(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const field = error.fields.find((f) => /^body\.(\d+\.)?input\.[^.]+$/.test(f.path));
  return field ? `“${field.path.split(".").pop()}” ${field.message}.` : error.message;
}

const show = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));
/** What a person typed as an expected output: JSON when it parses as an object or list, else the text. */
const typedValue = (text: string): unknown => {
  if (!text.trim()) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === "object" ? v : text;
  } catch {
    return text;
  }
};

/** The workflow's test cases in a table: add one, import a file, edit what is expected, delete. */
export function CaseTable({ workflowId, startFields }: { workflowId: string; startFields: StartFieldView[] }) {
  const cases = useCases(workflowId);
  const importing = useImportCases(workflowId);
  const importProblems = importing.error instanceof ApiError ? importing.error.fields : [];
  return (
    <section aria-labelledby="cases-title" className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="cases-title" className="text-lg font-semibold">
            Test cases {cases.data && <span className="font-normal text-slate-500">({cases.data.length})</span>}
          </h2>
          <p className="text-sm text-slate-600">
            Add one from a run’s page (“Add to test cases”), import a CSV (a column per input field, and “expected”,
            “rubric”) or JSONL file, or type one below.
          </p>
        </div>
        <label className="inline-flex cursor-pointer items-center rounded-md bg-white px-3 py-1.5 text-sm font-medium shadow-sm ring-1 ring-slate-300 focus-within:outline-2 focus-within:outline-brand-500 hover:bg-slate-50">
          Import a CSV or JSONL file
          <input
            type="file"
            accept=".csv,.jsonl,.ndjson,text/csv"
            className="sr-only"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              e.target.value = "";
              if (!file) return;
              importing.mutate({ format: file.name.endsWith(".csv") ? "csv" : "jsonl", text: await file.text() });
            }}
          />
        </label>
      </div>
      {importing.isSuccess && (
        <p role="status" className="text-sm text-emerald-800">
          Imported {importing.data.cases.length} cases.
        </p>
      )}
      {importing.error && (
        <Alert>
          The file was not imported: {importProblems.length ? "" : importing.error.message}
          {importProblems.length > 0 && (
            <ul className="mt-1 list-disc pl-5" aria-label="Problems in the file">
              {importProblems.slice(0, 20).map((p, i) => (
                <li key={i}>
                  {p.path}: {p.message}
                </li>
              ))}
            </ul>
          )}
        </Alert>
      )}
      <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-100 text-xs text-slate-600 uppercase">
            <tr>
              <th className="px-3 py-2 font-semibold">#</th>
              <th className="px-3 py-2 font-semibold">Input</th>
              <th className="px-3 py-2 font-semibold">Expected output</th>
              <th className="px-3 py-2 font-semibold">Rubric</th>
              <th className="px-3 py-2 font-semibold">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {cases.data?.map((c, i) => (
              <CaseRow key={c.id} workflowId={workflowId} item={c} n={i + 1} />
            ))}
            {cases.isLoading && (
              <tr>
                <td colSpan={5} className="px-3 py-6 text-center text-slate-500" role="status">
                  Loading the test cases…
                </td>
              </tr>
            )}
            {cases.data?.length === 0 && (
              <tr>
                <td colSpan={5} className="px-3 py-6 text-center text-slate-500">
                  No test cases yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <NewCase workflowId={workflowId} startFields={startFields} />
    </section>
  );
}

function CaseRow({ workflowId, item, n }: { workflowId: string; item: CaseView; n: number }) {
  const update = useUpdateCase(workflowId);
  const remove = useDeleteCase(workflowId);
  const cell = "w-full rounded border-0 px-2 py-1 text-sm ring-1 ring-slate-200 focus:ring-2 focus:ring-brand-500";
  return (
    <tr className="align-top">
      <td className="px-3 py-2 text-slate-500">{n}</td>
      <td className="max-w-xs px-3 py-2 font-mono text-xs break-words">
        {JSON.stringify(item.input)}
        {item.sourceRunId && (
          <div className="mt-1 font-sans">
            <Link href={`/runs/${item.sourceRunId}`} className="text-brand-700 underline">
              from a run
            </Link>
          </div>
        )}
      </td>
      <td className="px-3 py-2">
        <textarea
          aria-label={`Expected output of case ${n}`}
          defaultValue={show(item.expected)}
          rows={2}
          className={cell}
          onBlur={(e) =>
            e.target.value !== show(item.expected) &&
            update.mutate({ id: item.id, expected: typedValue(e.target.value) })
          }
        />
      </td>
      <td className="px-3 py-2">
        <textarea
          aria-label={`Rubric of case ${n}`}
          defaultValue={item.rubric}
          rows={2}
          className={cell}
          onBlur={(e) => e.target.value !== item.rubric && update.mutate({ id: item.id, rubric: e.target.value })}
        />
        {update.error && <p className="text-xs text-red-700">{update.error.message}</p>}
      </td>
      <td className="px-3 py-2 text-right">
        <Button size="sm" variant="secondary" busy={remove.isPending} onClick={() => remove.mutate(item.id)}>
          Delete<span className="sr-only"> case {n}</span>
        </Button>
      </td>
    </tr>
  );
}

function NewCase({ workflowId, startFields }: { workflowId: string; startFields: StartFieldView[] }) {
  const add = useAddCases(workflowId);
  const [input, setInput] = useState(() => inputTemplate(startFields));
  const inputBox = useRef<HTMLTextAreaElement>(null);
  const [expected, setExpected] = useState("");
  const [rubric, setRubric] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      aria-label="New test case"
      noValidate
      className="grid gap-3 rounded-xl bg-slate-50 p-4 ring-1 ring-slate-200 md:grid-cols-3"
      onSubmit={(e) => {
        e.preventDefault();
        let parsed: unknown;
        try {
          parsed = JSON.parse(input);
        } catch {
          return setProblem("Not valid JSON: the run's input, as { “field”: value }.");
        }
        setProblem(null);
        add.mutate(
          [{ input: parsed as Record<string, unknown>, expected: typedValue(expected) ?? undefined, rubric }],
          {
            // Ready for the next case: the person's place is the form's first field, not the page.
            onSuccess: () => (
              setInput(inputTemplate(startFields)),
              setExpected(""),
              setRubric(""),
              inputBox.current?.focus()
            ),
          },
        );
      }}
    >
      <TextAreaField
        ref={inputBox}
        label="Input (JSON)"
        rows={3}
        value={input}
        onChange={(e) => setInput(e.target.value)}
        hint={
          startFields.length
            ? `The Start step's fields: ${startFields.map((f) => `${f.name}${f.required ? "" : " (optional)"}`).join(", ")}.`
            : "The Start step has no fields: {} is the whole input."
        }
        error={problem ?? inputProblem(add.error)}
      />
      <TextAreaField label="Expected output" rows={3} value={expected} onChange={(e) => setExpected(e.target.value)} />
      <TextAreaField label="Rubric" rows={3} value={rubric} onChange={(e) => setRubric(e.target.value)} />
      <div className="md:col-span-3">
        <Button type="submit" busy={add.isPending}>
          Add case
        </Button>
      </div>
    </form>
  );
}
