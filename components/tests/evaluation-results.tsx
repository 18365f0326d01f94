"use client";

import Link from "next/link";
import { useCases } from "@/lib/queries/evaluations";
import type { EvaluationView, ResultView } from "@/lib/schemas/evaluations";
import { evaluatorSummary } from "./evaluators-form";

/** A case's number in the table of cases (the order people see), or "deleted". */
export function useCaseNumbers(workflowId: string): (caseId: string) => string {
  const cases = useCases(workflowId).data ?? [];
  const numbers = new Map(cases.map((c, i) => [c.id, String(i + 1)]));
  return (id) => numbers.get(id) ?? "deleted";
}

function Verdict({ result, index }: { result: ResultView; index: number }) {
  const s = result.scores[index];
  if (!s) return <span className="text-slate-500">—</span>;
  return (
    <>
      <span
        title={s.reason}
        className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-semibold ${s.pass ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-800"}`}
      >
        <span aria-hidden>{s.pass ? "✓" : "✕"}</span>
        {s.pass ? "pass" : "fail"}
        {s.evaluator === "judge" && ` ${s.score.toFixed(2)}`}
        {s.pass && <span className="sr-only">: {s.reason}</span>}
      </span>
      {/* Why it failed is what a person needs next: said on the page, not only on hover. */}
      {!s.pass && s.reason && <p className="mt-1 max-w-xs text-xs text-slate-700">{s.reason}</p>}
    </>
  );
}

/** The grid of cases × evaluators: pass or fail (and a judge's score), each case opening its run. */
export function EvaluationResults({ workflowId, evaluation }: { workflowId: string; evaluation: EvaluationView }) {
  const number = useCaseNumbers(workflowId);
  const rows = [...evaluation.results].sort((a, b) => Number(number(a.caseId)) - Number(number(b.caseId)));
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" aria-label="Results by case">
        <thead className="border-b border-slate-100 text-xs text-slate-600">
          <tr>
            <th className="px-2 py-1.5 font-semibold">Case</th>
            <th className="px-2 py-1.5 font-semibold">Result</th>
            {evaluation.evaluators.map((e, i) => (
              <th key={i} className="px-2 py-1.5 font-semibold">
                {evaluatorSummary(e)}
              </th>
            ))}
            <th className="px-2 py-1.5 font-semibold">Time</th>
            <th className="px-2 py-1.5 font-semibold">Run</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.caseId} className="align-top">
              <th scope="row" className="px-2 py-1.5 font-medium">
                {number(r.caseId)}
              </th>
              <td className="px-2 py-1.5">
                {r.status === "DONE" ? (
                  <span className="font-semibold">{r.passed ? "✓ passed" : "✕ failed"}</span>
                ) : r.status === "ERROR" ? (
                  <span className="text-red-800">✕ {r.error}</span>
                ) : (
                  <span className="text-slate-600">{r.status === "RUNNING" ? "⟳ running" : "waiting"}</span>
                )}
              </td>
              {evaluation.evaluators.map((_, i) => (
                <td key={i} className="px-2 py-1.5">
                  <Verdict result={r} index={i} />
                </td>
              ))}
              <td className="px-2 py-1.5 text-xs text-slate-600">{r.latencyMs === null ? "—" : `${r.latencyMs} ms`}</td>
              <td className="px-2 py-1.5">
                {r.runId ? (
                  <Link href={`/runs/${r.runId}`} className="text-brand-700 underline">
                    Open<span className="sr-only"> the run of case {number(r.caseId)}</span>
                  </Link>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
