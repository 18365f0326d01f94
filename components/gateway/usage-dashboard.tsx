"use client";

import { useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useUsage } from "@/lib/queries/gateway";
import type { UsageTotals } from "@/lib/schemas/usage";
import { Moment } from "@/components/ui/moment-text";
import { usd } from "@/lib/schemas/money";

const int = (n: number) => n.toLocaleString("en-US");

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <div className="text-xs text-slate-500">{label}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

function Breakdown<T extends UsageTotals>({
  title,
  rows,
  name,
  testId,
}: {
  title: string;
  rows: T[];
  name: (r: T) => string;
  testId: string;
}) {
  return (
    <section className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <h2 className="mb-2 font-semibold">{title}</h2>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">No calls in this period.</p>
      ) : (
        <table className="w-full text-sm" data-testid={testId} aria-label={title}>
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="py-1 font-medium" />
              <th className="py-1 pl-3 text-right font-medium">Calls</th>
              <th className="py-1 pl-3 text-right font-medium">Tokens</th>
              <th className="py-1 pl-3 text-right font-medium">Cost</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((r) => (
              <tr key={name(r)}>
                <td className="py-1.5">{name(r)}</td>
                <td className="py-1.5 pl-3 text-right whitespace-nowrap tabular-nums">{int(r.calls)}</td>
                <td className="py-1.5 pl-3 text-right whitespace-nowrap tabular-nums">
                  {int(r.inputTokens + r.outputTokens)}
                </td>
                <td className="py-1.5 pl-3 text-right whitespace-nowrap tabular-nums">{usd(r.costUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Gateway spend and use: totals, spend per day, by model, person and workflow, the latest calls, CSV. */
export function UsageDashboard() {
  const [days, setDays] = useState(30);
  const usage = useUsage(days);
  const data = usage.data;
  return (
    <div className="space-y-6">
      <div className="flex items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Usage</h1>
          <p className="text-sm text-slate-600">Every model call through the gateway, from workflows and API keys.</p>
        </div>
        <div className="flex items-center gap-2">
          <select
            aria-label="Period"
            className="rounded-md px-2 py-1.5 text-sm ring-1 ring-slate-300"
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
          >
            <option value={1}>Today</option>
            <option value={7}>Last 7 days</option>
            <option value={30}>Last 30 days</option>
            <option value={90}>Last 90 days</option>
          </select>
          <a
            href={`/api/admin/usage?days=${days}&format=csv`}
            className="rounded-md bg-white px-3 py-1.5 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-50"
            download
          >
            Export CSV
          </a>
        </div>
      </div>
      {!data ? (
        <p className="text-sm text-slate-500">{usage.error ? usage.error.message : "Loading…"}</p>
      ) : (
        <>
          <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
            <Stat label="Spend" value={usd(data.totals.costUsd)} testId="usage-spend" />
            <Stat
              label={`Calls (${int(data.totals.cacheHits)} from the cache)`}
              value={int(data.totals.calls)}
              testId="usage-calls"
            />
            <Stat
              label="Tokens in / out"
              value={`${int(data.totals.inputTokens)} / ${int(data.totals.outputTokens)}`}
            />
            <Stat label="Errors and refusals" value={int(data.totals.errors)} testId="usage-errors" />
          </div>
          <section className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <h2 className="mb-2 font-semibold">Spend per day</h2>
            <div className="h-56" data-testid="usage-chart">
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={data.byDay} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
                  <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} fontSize={11} stroke="#64748b" />
                  <YAxis
                    // Nothing spent: a scale of cents, not a made-up $0–$4.
                    domain={[0, (most: number) => Math.max(most, 0.01)]}
                    tickFormatter={(v: number) => `$${v < 1 ? Number(v.toFixed(4)) : v}`}
                    fontSize={11}
                    stroke="#64748b"
                    width={56}
                  />
                  <Tooltip formatter={(v) => usd(Number(v))} labelFormatter={(l) => `Day ${l}`} />
                  <Bar dataKey="costUsd" name="Spend" fill="#4f46e5" radius={[3, 3, 0, 0]} isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          </section>
          <div className="grid gap-4 lg:grid-cols-3">
            <Breakdown title="By model" rows={data.byModel} name={(r) => r.alias} testId="usage-by-model" />
            <Breakdown title="By person" rows={data.byUser} name={(r) => r.name} testId="usage-by-user" />
            <Breakdown title="By workflow" rows={data.byWorkflow} name={(r) => r.name} testId="usage-by-workflow" />
          </div>
          <section className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <h2 className="mb-2 font-semibold">By API key</h2>
            <ul className="space-y-1.5 text-sm" aria-label="Spend by API key">
              {data.byKey.map((k) => (
                <li key={k.apiKeyId} className="flex justify-between gap-2">
                  <span>{k.name}</span>
                  <span className="tabular-nums text-slate-600">
                    {k.calls} {k.calls === 1 ? "call" : "calls"} · {usd(k.costUsd)}
                  </span>
                </li>
              ))}
              {data.byKey.length === 0 && <li className="text-slate-500">No calls with an API key.</li>}
            </ul>
          </section>
          <section className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <h2 className="mb-2 font-semibold">Latest calls</h2>
            {data.recent.length === 0 && (
              <p className="text-sm text-slate-500" data-testid="usage-no-calls">
                No model calls in this period.
              </p>
            )}
            <div className={`overflow-x-auto ${data.recent.length === 0 ? "hidden" : ""}`}>
              <table className="w-full text-sm" data-testid="usage-recent">
                <thead className="text-left text-xs text-slate-500">
                  <tr>
                    <th className="py-1 font-medium">Time</th>
                    <th className="py-1 font-medium">Model</th>
                    <th className="py-1 font-medium">Who</th>
                    <th className="py-1 font-medium">From</th>
                    <th className="py-1 text-right font-medium">Tokens</th>
                    <th className="py-1 text-right font-medium">Cost</th>
                    <th className="py-1 text-right font-medium">Latency</th>
                    <th className="py-1 pl-4 font-medium">Status</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {data.recent.map((r, i) => (
                    <tr key={i}>
                      <td className="py-1.5 whitespace-nowrap text-slate-600">
                        <Moment at={r.at} seconds />
                      </td>
                      <td className="py-1.5">
                        {r.alias}
                        {r.modelId && <span className="ml-1 font-mono text-xs text-slate-500">{r.modelId}</span>}
                      </td>
                      <td className="py-1.5">{r.user}</td>
                      <td className="py-1.5 text-slate-600">{r.workflow || (r.source === "api" ? "API" : "")}</td>
                      <td className="py-1.5 text-right tabular-nums">{int(r.inputTokens + r.outputTokens)}</td>
                      <td className="py-1.5 text-right tabular-nums">{usd(r.costUsd)}</td>
                      <td className="py-1.5 text-right tabular-nums">{r.latencyMs} ms</td>
                      <td className="py-1.5 pl-4" title={r.error ?? undefined}>
                        <span
                          className={`rounded px-1.5 py-0.5 text-xs ${r.status === "ok" ? "bg-emerald-50 text-emerald-700" : "bg-red-50 text-red-700"}`}
                        >
                          {r.status}
                        </span>
                        {r.cacheHit && (
                          <span className="ml-1 rounded bg-sky-50 px-1.5 py-0.5 text-xs text-sky-700">cache</span>
                        )}
                        {r.error && <div className="max-w-xs truncate text-xs text-red-700">{r.error}</div>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </div>
  );
}
