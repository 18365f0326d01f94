"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { ApiError } from "@/lib/queries/api-client";
import { useLimits, useSaveLimits } from "@/lib/queries/gateway";
import type { LimitsInput } from "@/lib/schemas/gateway";
import { usd } from "@/lib/schemas/money";

const input =
  "block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500";

/** `team`: the team's own limit, which the organization sets (installation owners). */
const fields: { key: keyof Omit<LimitsInput, "budgetPeriod">; label: string; step?: string; team?: true }[] = [
  { key: "userRpm", label: "Requests per minute, per person" },
  { key: "userTpm", label: "Tokens per minute, per person" },
  { key: "workspaceRpm", label: "Requests per minute, whole workspace", team: true },
  { key: "workspaceTpm", label: "Tokens per minute, whole workspace", team: true },
  { key: "userBudgetUsd", label: "Budget per person (USD)", step: "0.01" },
  { key: "workspaceBudgetUsd", label: "Budget for the workspace (USD)", step: "0.01", team: true },
];

/** Rate limits and spend caps, with what this period has spent so far. */
export function LimitsSection() {
  const limits = useLimits();
  if (!limits.data) return null;
  return (
    <LimitsForm
      initial={limits.data}
      spent={limits.data.spent.workspaceUsd}
      cap={limits.data.workspaceBudgetUsd}
      teamLocked={!limits.data.mayChangeTeamLimits}
    />
  );
}

function LimitsForm({
  initial,
  spent,
  cap,
  teamLocked,
}: {
  initial: LimitsInput;
  spent: number;
  cap: number | null;
  /** The team's own limits are shown, not changed: the organization sets them. */
  teamLocked: boolean;
}) {
  const save = useSaveLimits();
  const [form, setForm] = useState<LimitsInput>(initial);
  const server = save.error instanceof ApiError ? save.error : null;
  // Every problem the server named is one this form shows at its field: else its message is said whole.
  const shownPaths = new Set(fields.map((f) => `body.${f.key}`));
  const atFields = !!server?.fields.length && server.fields.every((p) => shownPaths.has(p.path));
  return (
    <section className="space-y-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <div>
        <h2 className="font-semibold">Limits and budgets</h2>
        <p className="text-sm text-slate-600">
          Shared by every process. Empty means no limit. A call that could pass a budget is refused before it reaches
          the provider.
          {teamLocked && " The whole workspace's limits are the organization's to set; each person's stay within them."}
        </p>
      </div>
      <div className="rounded-lg bg-slate-50 p-3 text-sm" data-testid="budget-spent">
        Spent this {form.budgetPeriod === "DAY" ? "day" : "month"}: <strong>{usd(spent)}</strong>
        {cap !== null && (
          <>
            {" "}
            of {usd(cap)}
            <div className="mt-2 h-2 overflow-hidden rounded bg-slate-200">
              <div
                className={`h-full ${spent / cap > 0.9 ? "bg-red-500" : "bg-brand-600"}`}
                style={{ width: `${Math.min(100, (spent / Math.max(cap, 1e-9)) * 100)}%` }}
              />
            </div>
          </>
        )}
      </div>
      <form
        className="grid grid-cols-2 gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(form);
        }}
      >
        {fields.map((f) => (
          <TextField
            key={f.key}
            label={`${f.label}${teamLocked && f.team ? " (set by the organization)" : ""}`}
            type="number"
            min="0"
            step={f.step ?? "1"}
            className="disabled:bg-slate-50 disabled:text-slate-600"
            disabled={teamLocked && f.team}
            placeholder={teamLocked && f.team ? "no limit (set by the organization)" : undefined}
            value={form[f.key] ?? ""}
            error={server?.field(f.key)}
            onChange={(e) => {
              save.reset();
              setForm({ ...form, [f.key]: e.target.value.trim() === "" ? null : Number(e.target.value) });
            }}
          />
        ))}
        <label className="space-y-1">
          <span className="block text-xs font-medium text-slate-600">
            Budget period{teamLocked && " (set by the organization)"}
          </span>
          <select
            className={`${input} disabled:bg-slate-50`}
            disabled={teamLocked}
            value={form.budgetPeriod}
            onChange={(e) => setForm({ ...form, budgetPeriod: e.target.value as "DAY" | "MONTH" })}
          >
            <option value="DAY">Per day (UTC)</option>
            <option value="MONTH">Per month (UTC)</option>
          </select>
        </label>
        <div className="col-span-2 flex items-center gap-3">
          <Button type="submit" busy={save.isPending}>
            Save limits
          </Button>
          {save.isSuccess && !save.isPending && <span className="text-sm text-emerald-700">Saved.</span>}
          {save.error && !atFields && <Alert>{save.error.message}</Alert>}
          {atFields ? (
            <p role="alert" className="text-sm text-red-700">
              Not saved: see the field marked above.
            </p>
          ) : null}
        </div>
      </form>
    </section>
  );
}
