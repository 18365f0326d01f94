"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api } from "@/lib/queries/api-client";
import { useWorkflows } from "@/lib/queries/workflows";
import type { Dashboard } from "@/lib/schemas/dashboard";
import { GUARDRAIL_KIND_LABELS } from "@/lib/schemas/guardrail-policy";
import { RUN_TRIGGER_LABELS, runTriggerSchema } from "@/lib/schemas/run";
import { VersionCompare } from "./version-compare";
import { usd } from "@/lib/schemas/money";

const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 1000) / 10}%`);
const ms = (v: number | null) =>
  v === null ? "—" : v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(v < 10_000 ? 2 : 1)} s`;
const int = (v: number) => v.toLocaleString("en-US");

function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId: string }) {
  return (
    <div className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <div className="text-xs text-slate-500">{label}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </div>
      {hint && <div className="text-xs text-slate-500">{hint}</div>}
    </div>
  );
}

/** Completion, errors, latency and cost of runs, for the workspace or one workflow (and version). */
export function RunDashboard() {
  const [days, setDays] = useState(7);
  const [workflowId, setWorkflowId] = useState("");
  const [version, setVersion] = useState("");
  const [startedBy, setStartedBy] = useState("");
  const workflows = useWorkflows();
  const chosen = workflows.data?.find((w) => w.id === workflowId);
  const q = new URLSearchParams({
    days: String(days),
    ...(workflowId ? { workflowId } : {}),
    ...(workflowId && version ? { version } : {}),
    ...(startedBy ? { trigger: startedBy } : {}),
  });
  const data = useQuery({
    queryKey: ["dashboard", days, workflowId, version, startedBy],
    queryFn: () => api<Dashboard>(`/api/dashboard?${q}`),
    refetchInterval: 10_000,
  }).data;
  const t = data?.totals;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Dashboard</h1>
          <p className="text-sm text-slate-600">
            How runs go: completion, errors, latency and cost. Updates every 10 seconds.
          </p>
        </div>
        <div className="flex flex-wrap gap-2 text-sm">
          <select
            aria-label="Workflow"
            className="rounded-md bg-white px-2 py-1.5 ring-1 ring-slate-300"
            value={workflowId}
            onChange={(e) => (setWorkflowId(e.target.value), setVersion(""))}
          >
            <option value="">All workflows</option>
            {workflows.data?.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
          {chosen?.publishedVersion && (
            <select
              aria-label="Version"
              className="rounded-md bg-white px-2 py-1.5 ring-1 ring-slate-300"
              value={version}
              onChange={(e) => setVersion(e.target.value)}
            >
              <option value="">Every version and test run</option>
              {Array.from({ length: chosen.publishedVersion }, (_, i) => chosen.publishedVersion! - i).map((v) => (
                <option key={v} value={v}>
                  v{v}
                </option>
              ))}
            </select>
          )}
          <select
            aria-label="Started by"
            className="rounded-md bg-white px-2 py-1.5 ring-1 ring-slate-300"
            value={startedBy}
            onChange={(e) => setStartedBy(e.target.value)}
          >
            <option value="">Started by anything</option>
            {runTriggerSchema.options
              .filter((t) => t !== "subworkflow")
              .map((t) => (
                <option key={t} value={t}>
                  Started by: {RUN_TRIGGER_LABELS[t]}
                </option>
              ))}
          </select>
          <select
            aria-label="Period"
            className="rounded-md bg-white px-2 py-1.5 ring-1 ring-slate-300"
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
          >
            <option value={1}>Today</option>
            <option value={7}>Last 7 days</option>
            <option value={30}>Last 30 days</option>
            <option value={90}>Last 90 days</option>
          </select>
        </div>
      </div>
      {!t || !data ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : (
        <>
          {chosen?.publishedVersion && chosen.publishedVersion >= 2 && !version && (
            <VersionCompare key={chosen.id} workflowId={chosen.id} latest={chosen.publishedVersion} days={days} />
          )}
          <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
            <Stat label="Runs started" value={int(t.runs)} hint={`${t.active} still going`} testId="dash-runs" />
            <Stat
              label="Completion rate"
              value={pct(t.completionRate)}
              hint={`${t.completed} completed of ${t.completed + t.failed + t.cancelled} ended`}
              testId="dash-completion"
            />
            <Stat label="Error rate" value={pct(t.errorRate)} hint={`${t.failed} failed`} testId="dash-errors" />
            <Stat
              label="Latency p50 / p95"
              value={`${ms(t.p50Ms)} / ${ms(t.p95Ms)}`}
              hint="start to end, completed runs"
              testId="dash-latency"
            />
            <Stat
              label="Cost per run"
              value={usd(t.costPerRunUsd)}
              hint={`${usd(t.costUsd)} in all`}
              testId="dash-cost"
            />
            <Stat
              label="Tokens in / out"
              value={`${int(t.inputTokens)} / ${int(t.outputTokens)}`}
              testId="dash-tokens"
            />
            <Stat
              label="Reviews pending"
              value={int(t.reviewsPending)}
              hint={`median decision ${ms(t.medianDecisionMs)}`}
              testId="dash-reviews"
            />
          </div>
          <div className="grid gap-4 lg:grid-cols-2">
            <section className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <h2 className="mb-2 font-semibold">Runs per day</h2>
              <div className="h-52">
                <ResponsiveContainer width="100%" height="100%">
                  <BarChart data={data.byDay}>
                    <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
                    <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} fontSize={11} stroke="#64748b" />
                    <YAxis allowDecimals={false} fontSize={11} stroke="#64748b" width={32} />
                    <Tooltip />
                    <Legend wrapperStyle={{ fontSize: 12 }} />
                    <Bar dataKey="completed" name="completed" stackId="r" fill="#10b981" isAnimationActive={false} />
                    <Bar dataKey="failed" name="failed" stackId="r" fill="#ef4444" isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              </div>
            </section>
            <section className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <h2 className="mb-2 font-semibold">Cost per day</h2>
              <div className="h-52">
                <ResponsiveContainer width="100%" height="100%">
                  <BarChart data={data.byDay}>
                    <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
                    <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} fontSize={11} stroke="#64748b" />
                    <YAxis tickFormatter={(v: number) => `$${v}`} fontSize={11} stroke="#64748b" width={56} />
                    <Tooltip formatter={(v) => usd(Number(v))} />
                    <Bar dataKey="costUsd" name="cost" fill="#4f46e5" isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              </div>
            </section>
          </div>
          <section className="overflow-x-auto rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <h2 className="mb-2 font-semibold">By workflow</h2>
            <table className="w-full text-sm" data-testid="dash-by-workflow">
              <thead className="text-left text-xs text-slate-500">
                <tr>
                  <th className="py-1 font-medium">Workflow</th>
                  <th className="py-1 text-right font-medium">Runs</th>
                  <th className="py-1 text-right font-medium">Completed</th>
                  <th className="py-1 text-right font-medium">Failed</th>
                  <th className="py-1 text-right font-medium">p50</th>
                  <th className="py-1 text-right font-medium">p95</th>
                  <th className="py-1 text-right font-medium">Cost / run</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {data.byWorkflow.map((w) => (
                  <tr key={w.id}>
                    <td className="py-1.5">
                      <Link href={`/workflows/${w.id}`} className="text-brand-700 hover:underline">
                        {w.name}
                      </Link>
                    </td>
                    <td className="py-1.5 text-right tabular-nums">{w.runs}</td>
                    <td className="py-1.5 text-right tabular-nums">{w.completed}</td>
                    <td className="py-1.5 text-right tabular-nums">{w.failed}</td>
                    <td className="py-1.5 text-right tabular-nums">{ms(w.p50Ms)}</td>
                    <td className="py-1.5 text-right tabular-nums">{ms(w.p95Ms)}</td>
                    <td className="py-1.5 text-right tabular-nums">{usd(w.costPerRunUsd)}</td>
                  </tr>
                ))}
                {data.byWorkflow.length === 0 && (
                  <tr>
                    <td colSpan={7} className="py-6 text-center text-slate-500">
                      No runs in this period.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </section>
          <div className="grid gap-4 lg:grid-cols-2">
            <section className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <h2 className="mb-2 font-semibold" title="Median time per step over the period's latest 2,000 runs">
                Slowest steps
              </h2>
              <ul className="space-y-1.5 text-sm" data-testid="dash-slowest">
                {data.slowestSteps.map((s) => (
                  <li key={`${s.workflowName}/${s.nodeId}`} className="flex justify-between gap-2">
                    <span className="truncate" title={`Step id: ${s.nodeId}`}>
                      {s.label} <span className="text-slate-500">· {s.workflowName}</span>
                    </span>
                    <span className="shrink-0 tabular-nums">{ms(s.p50Ms)}</span>
                  </li>
                ))}
                {data.slowestSteps.length === 0 && <li className="text-slate-500">No finished steps.</li>}
              </ul>
            </section>
            <section className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <h2 className="mb-2 font-semibold">Most frequent errors</h2>
              <ul className="space-y-1.5 text-sm" data-testid="dash-errors-list">
                {data.errors.map((e) => (
                  <li key={e.error} className="flex justify-between gap-2">
                    <span className="text-red-700">{e.error}</span>
                    <span className="shrink-0 tabular-nums">× {e.runs}</span>
                  </li>
                ))}
                {data.errors.length === 0 && <li className="text-slate-500">No failed runs.</li>}
              </ul>
            </section>
            <section className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <h2 className="mb-2 font-semibold">Spend by model</h2>
              <ul className="space-y-1.5 text-sm" data-testid="dash-models">
                {data.spendByModel.map((m) => (
                  <li key={m.alias} className="flex justify-between gap-2">
                    <span>{m.alias}</span>
                    <span className="tabular-nums text-slate-600">
                      {m.calls} calls · {usd(m.costUsd)}
                    </span>
                  </li>
                ))}
                {data.spendByModel.length === 0 && <li className="text-slate-500">No model calls.</li>}
              </ul>
            </section>
            <section className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <h2 className="mb-2 font-semibold">Guardrail policies</h2>
              <ul className="space-y-1.5 text-sm" aria-label="What guardrail policies did">
                {data.guardrails.map((g) => (
                  <li key={g.kind} className="flex justify-between gap-2">
                    <span>{GUARDRAIL_KIND_LABELS[g.kind] ?? g.kind}</span>
                    <span className="shrink-0 tabular-nums">× {g.count}</span>
                  </li>
                ))}
                {data.guardrails.length === 0 && (
                  <li className="text-slate-500">No model call was changed or refused.</li>
                )}
              </ul>
            </section>
          </div>
        </>
      )}
    </div>
  );
}
