"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError } from "@/lib/queries/api-client";
import { useCreateApplicationKey, useUpdateApplicationKey } from "@/lib/queries/api-keys";
import { useModelChoices } from "@/lib/queries/gateway";
import type { ApplicationKeyView } from "@/lib/schemas/api-key";

/** The date part of an ISO time, in the person's time zone, for a date input. */
const day = (iso: string | null) => {
  if (!iso) return "";
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};

/**
 * An application key's name, role, models, budget, rate and expiry: a new key (shown once by
 * the caller, from `onSaved`), or an existing one's limits changed (`initial`).
 */
export function ApplicationKeyForm({
  initial,
  onSaved,
  onCancel,
}: {
  initial?: ApplicationKeyView;
  onSaved: (key: { name: string; key?: string }) => void;
  onCancel?: () => void;
}) {
  const models = useModelChoices();
  const create = useCreateApplicationKey();
  const update = useUpdateApplicationKey();
  const save = initial ? update : create;
  const [name, setName] = useState(initial?.name ?? "");
  const [role, setRole] = useState<"ADMIN" | "BUILDER" | "REVIEWER">(initial?.role ?? "BUILDER");
  const [allowed, setAllowed] = useState<string[]>(initial?.models ?? []);
  // "Only these" with none ticked would mean every model: it must be chosen as such.
  const [only, setOnly] = useState(!!initial?.models.length);
  const modelsProblem = only && allowed.length === 0 ? "Tick at least one model, or choose every model" : undefined;
  const [budget, setBudget] = useState(initial?.budgetUsd?.toString() ?? "");
  const [period, setPeriod] = useState<"DAY" | "MONTH">(initial?.budgetPeriod ?? "MONTH");
  const [rpm, setRpm] = useState(initial?.rpm?.toString() ?? "");
  const [expires, setExpires] = useState(day(initial?.expiresAt ?? null));
  const error = save.error instanceof ApiError ? save.error : null;
  // Mistyped numbers are said here, not read as "none".
  const number = (v: string, min: number) =>
    v.trim() !== "" && !(Number.isFinite(Number(v)) && Number(v) >= min)
      ? `A number, ${min} or more (empty: none)`
      : undefined;
  const budgetProblem = number(budget, 0);
  const rpmProblem = number(rpm, 1);
  // A model the key may call that is no longer offered here stays listed, so it can be unticked.
  const offered = [...new Set([...(models.data ?? []).map((m) => m.name), ...allowed])];
  const reset = () => {
    setName("");
    setRole("BUILDER");
    setAllowed([]);
    setBudget("");
    setPeriod("MONTH");
    setRpm("");
    setExpires("");
  };
  return (
    <form
      aria-label={initial ? `Edit ${initial.name}` : "New application key"}
      noValidate
      className="space-y-3 rounded-xl bg-slate-50 p-4 ring-1 ring-slate-200"
      onSubmit={(e) => {
        e.preventDefault();
        if (budgetProblem || rpmProblem || modelsProblem) return;
        const input = {
          name,
          role,
          models: only ? allowed : [],
          budgetUsd: budget.trim() === "" ? null : Number(budget),
          budgetPeriod: period,
          rpm: rpm.trim() === "" ? null : Number(rpm),
          expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
        };
        if (initial) update.mutate({ id: initial.id, ...input }, { onSuccess: (k) => onSaved({ name: k.name }) });
        else
          create.mutate(input, {
            onSuccess: (k) => {
              onSaved({ name: k.name, key: k.key });
              // The next key starts afresh.
              reset();
              setOnly(false);
            },
          });
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label="Name"
          placeholder="e.g. Support bot"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={error?.field("name")}
        />
        <SelectField
          label="Role"
          value={role}
          onChange={(e) => setRole(e.target.value as typeof role)}
          options={[
            { value: "BUILDER", label: "Builder: runs workflows, calls models" },
            { value: "REVIEWER", label: "Reviewer: decides reviews" },
            { value: "ADMIN", label: "Admin" },
          ]}
        />
      </div>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-700">Models it may call</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" checked={!only} onChange={() => setOnly(false)} />
            Every model its role may use
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" checked={only} onChange={() => setOnly(true)} />
            Only these
          </label>
        </div>
        <div className={`flex flex-wrap gap-4 ${only ? "" : "hidden"}`}>
          {offered.map((m) => (
            <label key={m} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={allowed.includes(m)}
                onChange={(e) => setAllowed(e.target.checked ? [...allowed, m] : allowed.filter((x) => x !== m))}
              />
              {m}
            </label>
          ))}
        </div>
        {modelsProblem && (
          <p role="alert" className="text-xs text-red-700">
            {modelsProblem}
          </p>
        )}
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-4">
        <TextField
          label="Budget (USD)"
          type="number"
          min={0}
          step="0.01"
          value={budget}
          onChange={(e) => setBudget(e.target.value)}
          error={budgetProblem ?? error?.field("budgetUsd")}
          hint="Empty: none of its own"
        />
        <SelectField
          label="Per"
          value={period}
          onChange={(e) => setPeriod(e.target.value as typeof period)}
          options={[
            { value: "MONTH", label: "Month" },
            { value: "DAY", label: "Day" },
          ]}
        />
        <TextField
          label="Requests per minute"
          type="number"
          min={1}
          value={rpm}
          onChange={(e) => setRpm(e.target.value)}
          error={rpmProblem ?? error?.field("rpm")}
          hint="Empty: no limit of its own"
        />
        <TextField
          label="Expires on"
          type="date"
          value={expires}
          onChange={(e) => setExpires(e.target.value)}
          error={error?.field("expiresAt")}
          hint="Empty: never"
        />
      </div>
      {error && !error.fields.length && <Alert>{error.message}</Alert>}
      <div className="flex gap-2">
        <Button type="submit" busy={save.isPending}>
          {initial ? `Save ${initial.name}` : "Make application key"}
        </Button>
        {onCancel && (
          <Button type="button" variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
