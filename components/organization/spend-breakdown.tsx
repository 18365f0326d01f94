"use client";

import type { OrganizationSpend, SpendRow } from "@/lib/schemas/guardrail-policy";

const usd = (n: number) => `$${n.toFixed(2)}`;

function SpendTable({ label, what, rows }: { label: string; what: string; rows: SpendRow[] }) {
  return (
    <div className="space-y-1">
      <h3 className="text-sm font-medium">{label}</h3>
      {rows.length === 0 ? (
        <p className="text-xs text-slate-500">Nothing spent this period.</p>
      ) : (
        <table aria-label={`Spend ${label.toLowerCase()}`} className="w-full text-left text-sm">
          <thead className="text-xs text-slate-500 uppercase">
            <tr>
              <th className="py-1">{what}</th>
              <th className="py-1">Spent</th>
              <th className="py-1">Calls</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((r) => (
              <tr key={r.id}>
                <th scope="row" className="py-1 font-normal">
                  {r.name}
                  {r.team && <span className="text-xs text-slate-500"> · {r.team}</span>}
                </th>
                <td className="py-1 tabular-nums">{usd(r.spentUsd)}</td>
                <td className="py-1 tabular-nums">{r.calls}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The organization's spend this period by model, workflow, person and API key (the ten highest of each). */
export function SpendBreakdown({ spend }: { spend: OrganizationSpend }) {
  return (
    <div className="grid gap-4 pt-2 md:grid-cols-2">
      <SpendTable label="By model" what="Model" rows={spend.byModel} />
      <SpendTable label="By workflow" what="Workflow · team" rows={spend.byWorkflow} />
      <SpendTable label="By person" what="Person" rows={spend.byPerson} />
      <SpendTable label="By API key" what="Key · team" rows={spend.byKey} />
    </div>
  );
}
