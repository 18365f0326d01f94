"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, ApiError } from "@/lib/queries/api-client";
import type { VersionComparison, VersionFigures } from "@/lib/schemas/dashboard";
import { usd } from "@/lib/schemas/money";

const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 1000) / 10}%`);
const ms = (v: number | null) =>
  v === null ? "—" : v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(v < 10_000 ? 2 : 1)} s`;

type Row = {
  label: string;
  pick(f: VersionFigures): number | null;
  show(v: number | null): string;
  /** Lower is better (latency, cost, errors). */ lowerIsBetter: boolean;
};
const rows: Row[] = [
  { label: "Runs started", pick: (f) => f.totals.runs, show: (v) => String(v ?? 0), lowerIsBetter: false },
  { label: "Completion rate", pick: (f) => f.totals.completionRate, show: pct, lowerIsBetter: false },
  { label: "Error rate", pick: (f) => f.totals.errorRate, show: pct, lowerIsBetter: true },
  { label: "Latency p50", pick: (f) => f.totals.p50Ms, show: ms, lowerIsBetter: true },
  { label: "Latency p95", pick: (f) => f.totals.p95Ms, show: ms, lowerIsBetter: true },
  { label: "Cost per run", pick: (f) => f.totals.costPerRunUsd, show: usd, lowerIsBetter: true },
  {
    label: "Tokens per run",
    pick: (f) => (f.totals.runs ? (f.totals.inputTokens + f.totals.outputTokens) / f.totals.runs : null),
    show: (v) => (v === null ? "—" : Math.round(v).toLocaleString("en-US")),
    lowerIsBetter: true,
  },
  { label: "Median time to decision", pick: (f) => f.totals.medianDecisionMs, show: ms, lowerIsBetter: true },
];

function Change({ a, b, lowerIsBetter }: { a: number | null; b: number | null; lowerIsBetter: boolean }) {
  if (a === null || b === null || a === b) return <span className="text-slate-500">—</span>;
  const change = a === 0 ? null : (b - a) / Math.abs(a);
  const better = lowerIsBetter ? b < a : b > a;
  return (
    <span className={better ? "text-emerald-700" : "text-red-700"}>
      {change === null ? (b > a ? "up" : "down") : `${change > 0 ? "+" : ""}${Math.round(change * 1000) / 10}%`}
    </span>
  );
}

/** Two published versions of one workflow side by side: the totals, then each step. */
export function VersionCompare({ workflowId, latest, days }: { workflowId: string; latest: number; days: number }) {
  const [a, setA] = useState(latest - 1);
  const [b, setB] = useState(latest);
  const same = a === b;
  const query = useQuery({
    queryKey: ["compare", workflowId, a, b, days],
    queryFn: () =>
      api<VersionComparison>(
        `/api/dashboard/compare?${new URLSearchParams({ workflowId, a: String(a), b: String(b), days: String(days) })}`,
      ),
    enabled: !same,
  });
  const versions = Array.from({ length: latest }, (_, i) => latest - i);
  const pick = (label: string, value: number, set: (v: number) => void) => (
    <select
      aria-label={label}
      className="rounded-md bg-white px-2 py-1 ring-1 ring-slate-300"
      value={value}
      onChange={(e) => set(Number(e.target.value))}
    >
      {versions.map((v) => (
        <option key={v} value={v}>
          v{v}
        </option>
      ))}
    </select>
  );
  const data = query.data;
  // Steps by the name the newer version gives them (the older one's for a step it dropped).
  const labels = new Map(data ? [...data.a.steps, ...data.b.steps].map((s) => [s.nodeId, s.label]) : []);
  const nodeIds = [...labels.keys()].sort((x, y) => labels.get(x)!.localeCompare(labels.get(y)!));
  return (
    <section
      className="space-y-3 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200"
      data-testid="version-compare"
    >
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <h2 className="mr-2 font-semibold">Compare versions</h2>
        {pick("Version A", a, setA)}
        <span className="text-slate-500">with</span>
        {pick("Version B", b, setB)}
      </div>
      {same ? (
        <p className="text-sm text-slate-500">Pick two different versions.</p>
      ) : query.error ? (
        <p className="text-sm text-red-700">
          {query.error instanceof ApiError ? query.error.message : "Could not compare."}
        </p>
      ) : !data ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : (
        <div className="grid items-start gap-4 lg:grid-cols-2">
          <table className="w-full text-sm" data-testid="compare-totals">
            <thead className="text-left text-xs text-slate-500">
              <tr>
                <th className="py-1 font-medium"></th>
                <th className="py-1 text-right font-medium">v{a}</th>
                <th className="py-1 text-right font-medium">v{b}</th>
                <th className="py-1 text-right font-medium">change</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 tabular-nums">
              {rows.map((r) => (
                <tr key={r.label}>
                  <td className="py-1.5 text-slate-700">{r.label}</td>
                  <td className="py-1.5 text-right">{r.show(r.pick(data.a))}</td>
                  <td className="py-1.5 text-right">{r.show(r.pick(data.b))}</td>
                  <td className="py-1.5 text-right">
                    <Change a={r.pick(data.a)} b={r.pick(data.b)} lowerIsBetter={r.lowerIsBetter} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="w-full text-sm" data-testid="compare-steps">
            <caption className="caption-bottom pt-1 text-left text-xs text-slate-500">
              Step medians from each version&apos;s latest 1,000 runs in the period.
            </caption>
            <thead className="text-left text-xs text-slate-500">
              <tr>
                <th className="py-1 font-medium">Step</th>
                <th className="py-1 text-right font-medium">v{a} median</th>
                <th className="py-1 text-right font-medium">v{b} median</th>
                <th className="py-1 text-right font-medium">v{a} cost</th>
                <th className="py-1 text-right font-medium">v{b} cost</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 tabular-nums">
              {nodeIds.map((id) => {
                const sa = data.a.steps.find((s) => s.nodeId === id);
                const sb = data.b.steps.find((s) => s.nodeId === id);
                return (
                  <tr key={id}>
                    <td className="py-1.5 text-slate-700" title={`Step id: ${id}`}>
                      {labels.get(id)}
                    </td>
                    <td className="py-1.5 text-right">{sa ? ms(sa.p50Ms) : "not in v" + a}</td>
                    <td className="py-1.5 text-right">{sb ? ms(sb.p50Ms) : "not in v" + b}</td>
                    <td className="py-1.5 text-right">{sa ? usd(sa.medianCostUsd) : "—"}</td>
                    <td className="py-1.5 text-right">{sb ? usd(sb.medianCostUsd) : "—"}</td>
                  </tr>
                );
              })}
              {nodeIds.length === 0 && (
                <tr>
                  <td colSpan={5} className="py-3 text-center text-slate-500">
                    No runs of either version in this period.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
