"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError } from "@/lib/queries/api-client";
import { useOrganizationSpend, useSaveOrganizationBudget } from "@/lib/queries/organization";
import { OrganizationLimitsForm } from "./organization-limits";
import { SpendBreakdown } from "./spend-breakdown";

const usd = (n: number) => `$${n.toFixed(2)}`;

/** The organization's spend this period by workspace (and model, workflow, person, key), its budget (set here), and where the pace leads. */
export function OrganizationSpendSection() {
  const spend = useOrganizationSpend();
  const save = useSaveOrganizationBudget();
  const s = spend.data;
  const [amount, setAmount] = useState<string | null>(null);
  const [period, setPeriod] = useState<"DAY" | "MONTH" | null>(null);
  const shownAmount = amount ?? (s?.budgetUsd == null ? "" : String(s.budgetUsd));
  const shownPeriod = period ?? s?.period ?? "MONTH";
  const per = s?.period === "DAY" ? "today" : "this month";
  const share = s?.budgetUsd ? Math.min(100, Math.round((s.spentUsd / s.budgetUsd) * 100)) : null;
  // A mistyped amount must not read as "no budget": it is said, and nothing is saved.
  const typed = shownAmount.trim();
  const amountProblem =
    typed !== "" && !(Number.isFinite(Number(typed)) && Number(typed) >= 0)
      ? "An amount in dollars, 0 or more (empty: no budget)"
      : undefined;
  const serverProblem = save.error instanceof ApiError ? save.error.field("budgetUsd") : undefined;
  return (
    <section aria-labelledby="spend-title" className="space-y-3">
      <h2 id="spend-title" className="text-lg font-semibold">
        Spend
      </h2>
      {spend.error && <Alert>{spend.error.message}</Alert>}
      {s && (
        <div className="space-y-2 rounded-xl bg-white p-4 ring-1 ring-slate-200">
          <p className="text-sm" data-testid="organization-spend">
            <strong>{usd(s.spentUsd)}</strong> spent {per} by every workspace
            {s.budgetUsd !== null ? ` of the organization's budget of ${usd(s.budgetUsd)} (${share}%)` : " (no budget)"}
            . At this pace: {usd(s.forecastUsd)} by the end of the {s.period === "DAY" ? "day" : "month"}.
          </p>
          {share !== null && (
            <div
              role="progressbar"
              aria-label="The organization's budget used"
              aria-valuenow={share}
              aria-valuemin={0}
              aria-valuemax={100}
              className="h-2 overflow-hidden rounded bg-slate-100"
            >
              <div
                className={`h-full ${share >= 100 ? "bg-red-600" : share >= 80 ? "bg-amber-500" : "bg-brand-600"}`}
                style={{ width: `${share}%` }}
              />
            </div>
          )}
          <table aria-label="Spend by workspace" className="w-full text-left text-sm">
            <thead className="text-xs text-slate-500 uppercase">
              <tr>
                <th className="py-1.5">Workspace</th>
                <th className="py-1.5">Spent</th>
                <th className="py-1.5">Calls</th>
                <th className="py-1.5">Its own budget</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {s.byWorkspace.map((w) => (
                <tr key={w.id}>
                  <th scope="row" className="py-1.5 font-normal">
                    {w.name}
                  </th>
                  <td className="py-1.5 tabular-nums">{usd(w.spentUsd)}</td>
                  <td className="py-1.5 tabular-nums">{w.calls}</td>
                  <td className="py-1.5 tabular-nums">{w.budgetUsd === null ? "none" : usd(w.budgetUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <SpendBreakdown spend={s} />
        </div>
      )}
      {/* Only once the budget is known: before, the form would show none, and saving it would clear it. */}
      {s && (
        <form
          aria-label="The organization's budget"
          noValidate
          className="flex flex-wrap items-end gap-3 rounded-xl bg-slate-50 p-4 ring-1 ring-slate-200"
          onSubmit={(e) => {
            e.preventDefault();
            if (amountProblem) return;
            save.mutate(
              { budgetUsd: shownAmount.trim() === "" ? null : Number(shownAmount), budgetPeriod: shownPeriod },
              { onSuccess: () => (setAmount(null), setPeriod(null)) },
            );
          }}
        >
          <div className="w-48">
            <TextField
              label="Budget (USD)"
              type="number"
              min={0}
              step="0.01"
              value={shownAmount}
              onChange={(e) => setAmount(e.target.value)}
              hint="Empty: no budget"
              error={amountProblem ?? serverProblem}
            />
          </div>
          <div className="w-40">
            <SelectField
              label="Per"
              value={shownPeriod}
              onChange={(e) => setPeriod(e.target.value as "DAY" | "MONTH")}
              options={[
                { value: "MONTH", label: "Month" },
                { value: "DAY", label: "Day" },
              ]}
            />
          </div>
          <Button type="submit" size="sm" busy={save.isPending}>
            Save budget
          </Button>
          <p className="basis-full text-xs text-slate-600">
            Over every workspace&rsquo;s model calls together, on top of each workspace&rsquo;s own: a call that could
            pass it is refused. Installation owners are told at 50, 80 and 100%.
          </p>
          {save.error && !serverProblem && <Alert>{save.error.message}</Alert>}
          {save.isSuccess && amount === null && (
            <p role="status" className="basis-full text-sm text-emerald-800">
              Saved.
            </p>
          )}
        </form>
      )}
      {s && <OrganizationLimitsForm limits={s.limits} />}
    </section>
  );
}
