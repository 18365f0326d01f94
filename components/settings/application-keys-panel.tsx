"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError } from "@/lib/queries/api-client";
import { useApplicationKeys, useCreateApplicationKey, useRevokeApplicationKey } from "@/lib/queries/api-keys";
import { useModelChoices } from "@/lib/queries/gateway";
import type { ApplicationKeyView } from "@/lib/schemas/api-key";

const usd = (n: number) => `$${n.toFixed(2)}`;

/** What a key may do, in a line. */
function limitsOf(k: ApplicationKeyView): string {
  return [
    `as a ${k.role.toLowerCase()}`,
    k.models.length ? `models ${k.models.join(", ")}` : "every model its role may use",
    k.budgetUsd !== null
      ? `${usd(k.budgetUsd)} per ${k.budgetPeriod === "DAY" ? "day" : "month"}`
      : "no budget of its own",
    k.rpm !== null ? `${k.rpm} requests a minute` : "",
    k.expiresAt
      ? new Date(k.expiresAt).getTime() <= Date.now()
        ? `expired on ${new Date(k.expiresAt).toLocaleDateString()}: it no longer works`
        : `until ${new Date(k.expiresAt).toLocaleDateString()}`
      : "no expiry",
  ]
    .filter(Boolean)
    .join(" · ");
}

/**
 * The workspace's application keys (admins): keys for services, owned by the workspace, each
 * with its own role, models, budget, rate and expiry; made (the key shown once) and revoked here.
 */
export function ApplicationKeysPanel() {
  const keys = useApplicationKeys(true);
  const models = useModelChoices();
  const create = useCreateApplicationKey();
  const revoke = useRevokeApplicationKey();
  const [made, setMade] = useState<{ name: string; key: string } | null>(null);
  const [name, setName] = useState("");
  const [role, setRole] = useState<"ADMIN" | "BUILDER" | "REVIEWER">("BUILDER");
  const [allowed, setAllowed] = useState<string[]>([]);
  const [budget, setBudget] = useState("");
  const [period, setPeriod] = useState<"DAY" | "MONTH">("MONTH");
  const [rpm, setRpm] = useState("");
  const [expires, setExpires] = useState("");
  const error = create.error instanceof ApiError ? create.error : null;
  // Mistyped numbers are said here, not read as "none".
  const number = (v: string, min: number) =>
    v.trim() !== "" && !(Number.isFinite(Number(v)) && Number(v) >= min)
      ? `A number, ${min} or more (empty: none)`
      : undefined;
  const budgetProblem = number(budget, 0);
  const rpmProblem = number(rpm, 1);
  return (
    <section aria-labelledby="application-keys-title" className="space-y-4">
      <div>
        <h2 id="application-keys-title" className="text-lg font-semibold">
          Application keys
        </h2>
        <p className="text-sm text-slate-600">
          Keys this workspace owns, for services and integrations: each with its own role, models, budget, rate and
          expiry, and working whoever made it. Their calls show under Usage, by key.
        </p>
      </div>
      {made && (
        <div
          className="space-y-3 rounded-xl bg-emerald-50 p-5 ring-1 ring-emerald-200"
          data-testid="new-application-key"
        >
          <p className="font-semibold text-emerald-900">
            Copy the new application key “{made.name}” now: it will not be shown again.
          </p>
          <CopyField value={made.key} label="The new application key" confirmation="Application key copied" />
          <Button variant="ghost" onClick={() => setMade(null)}>
            Done
          </Button>
        </div>
      )}
      <ul aria-label="Application keys" className="space-y-2">
        {(keys.data ?? []).map((k) => (
          <li
            key={k.id}
            className="flex items-start justify-between gap-4 rounded-xl bg-white p-4 ring-1 ring-slate-200"
          >
            <div className="space-y-1">
              <p className="font-medium">
                {k.name} <span className="font-mono text-xs text-slate-500">{k.prefix}</span>
              </p>
              <p className="text-xs text-slate-600">{limitsOf(k)}</p>
              <p className="text-xs text-slate-500">
                Made by {k.createdByName} · last used {k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : "never"}
              </p>
            </div>
            <Button
              variant="danger"
              size="sm"
              busy={revoke.isPending && revoke.variables === k.id}
              aria-label={`Revoke ${k.name}`}
              onClick={() => {
                if (window.confirm(`Revoke “${k.name}”? Anything using it stops working at once.`)) revoke.mutate(k.id);
              }}
            >
              Revoke
            </Button>
          </li>
        ))}
        {keys.data?.length === 0 && <li className="text-sm text-slate-500">No application key yet.</li>}
      </ul>
      <form
        aria-label="New application key"
        noValidate
        className="space-y-3 rounded-xl bg-slate-50 p-4 ring-1 ring-slate-200"
        onSubmit={(e) => {
          e.preventDefault();
          if (budgetProblem || rpmProblem) return;
          create.mutate(
            {
              name,
              role,
              models: allowed,
              budgetUsd: budget.trim() === "" ? null : Number(budget),
              budgetPeriod: period,
              rpm: rpm.trim() === "" ? null : Number(rpm),
              expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
            },
            {
              onSuccess: (k) => {
                setMade({ name: k.name, key: k.key });
                // The next key starts afresh.
                setName("");
                setRole("BUILDER");
                setAllowed([]);
                setBudget("");
                setPeriod("MONTH");
                setRpm("");
                setExpires("");
              },
            },
          );
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
          <legend className="text-sm font-medium text-slate-700">
            Models it may call (none ticked: every one its role may)
          </legend>
          <div className="flex flex-wrap gap-4">
            {(models.data ?? []).map((m) => (
              <label key={m.name} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={allowed.includes(m.name)}
                  onChange={(e) =>
                    setAllowed(e.target.checked ? [...allowed, m.name] : allowed.filter((x) => x !== m.name))
                  }
                />
                {m.name}
              </label>
            ))}
          </div>
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
        <Button type="submit" size="sm" busy={create.isPending}>
          Make application key
        </Button>
      </form>
    </section>
  );
}
