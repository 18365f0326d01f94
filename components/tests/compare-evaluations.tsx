"use client";

import { WordDiff } from "@/components/ui/word-diff";
import type { EvaluationView } from "@/lib/schemas/evaluations";
import { evaluationName, passRate } from "./evaluation-names";
import { useCaseNumbers } from "./evaluation-results";
import { usd } from "@/lib/schemas/money";

const textOf = (v: unknown) =>
  typeof v === "string" ? v : v === null || v === undefined ? "" : JSON.stringify(v, null, 2);

/**
 * Two evaluations side by side: pass rate, cost and latency; then each case whose verdict or
 * output differs, its outputs compared word by word (`a` is the earlier, `b` the one shown).
 */
export function CompareEvaluations({ workflowId, a, b }: { workflowId: string; a: EvaluationView; b: EvaluationView }) {
  const number = useCaseNumbers(workflowId);
  const before = new Map(a.results.map((r) => [r.caseId, r]));
  const changed = b.results
    .map((r) => ({ now: r, then: before.get(r.caseId) }))
    .filter(({ now, then }) => then && (then.passed !== now.passed || textOf(then.output) !== textOf(now.output)))
    .sort((x, y) => Number(number(x.now.caseId)) - Number(number(y.now.caseId)));
  const figures: [string, (e: EvaluationView) => string][] = [
    ["Pass rate", (e) => `${passRate(e)}% (${e.passed} of ${e.done})`],
    ["Cost", (e) => usd(e.costUsd)],
    ["p50 latency", (e) => (e.p50Ms === null ? "—" : `${e.p50Ms} ms`)],
    ["p95 latency", (e) => (e.p95Ms === null ? "—" : `${e.p95Ms} ms`)],
  ];
  return (
    <div className="space-y-3" data-testid="comparison">
      <table className="w-full text-left text-sm" aria-label="Comparison">
        <thead className="text-xs text-slate-600">
          <tr>
            <th className="px-2 py-1.5 font-semibold">
              <span className="sr-only">Figure</span>
            </th>
            <th className="px-2 py-1.5 font-semibold">{evaluationName(a)}</th>
            <th className="px-2 py-1.5 font-semibold">{evaluationName(b)}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {figures.map(([label, value]) => (
            <tr key={label}>
              <th scope="row" className="px-2 py-1.5 font-medium">
                {label}
              </th>
              <td className="px-2 py-1.5">{value(a)}</td>
              <td className="px-2 py-1.5">{value(b)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4 className="text-sm font-semibold">
        Cases that changed {changed.length === 0 && <span className="font-normal text-slate-600">: none</span>}
      </h4>
      <ul className="space-y-3" aria-label="Cases that changed">
        {changed.map(({ now, then }) => (
          <li key={now.caseId} className="space-y-1 text-sm">
            <div className="font-medium">
              Case {number(now.caseId)}: {then!.passed ? "passed" : "failed"} → {now.passed ? "passed" : "failed"}
              {then!.passed && !now.passed && (
                <span className="ml-2 rounded bg-red-50 px-1.5 text-xs text-red-800">regression</span>
              )}
            </div>
            <WordDiff
              before={textOf(then!.output)}
              after={textOf(now.output)}
              testId={`compare-diff-${number(now.caseId)}`}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}
