"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError } from "@/lib/queries/api-client";
import { useSaveTeam } from "@/lib/queries/gateway";
import type { AliasView } from "@/lib/schemas/gateway";
import type { TeamInput, TeamView } from "@/lib/schemas/teams";

const number = (v: string) => (v.trim() === "" ? null : Number(v));
/** The fields whose errors the form shows beside them. */
const SHOWN = /^body\.(grants\.\d+\.name|workspaceRpm|workspaceTpm|workspaceBudgetUsd)$/;

/** A team's grants, own limits and "bring your own key", edited in place. */
export function TeamForm({ team, models, onDone }: { team: TeamView; models: AliasView[]; onDone: () => void }) {
  const save = useSaveTeam();
  // Model id → the name the team picks it by; absent: not granted.
  const [granted, setGranted] = useState<Map<string, string>>(
    () => new Map(team.grants.map((g) => [g.aliasId, g.name])),
  );
  const [limits, setLimits] = useState({
    workspaceRpm: team.workspaceRpm?.toString() ?? "",
    workspaceTpm: team.workspaceTpm?.toString() ?? "",
    workspaceBudgetUsd: team.workspaceBudgetUsd?.toString() ?? "",
  });
  const [budgetPeriod, setBudgetPeriod] = useState(team.budgetPeriod);
  const [ownProviders, setOwnProviders] = useState(team.ownProviders);
  const error = save.error instanceof ApiError ? save.error : null;
  const grants = models.filter((m) => granted.has(m.id)).map((m) => ({ aliasId: m.id, name: granted.get(m.id)! }));
  const grantError = (aliasId: string) => {
    const i = grants.findIndex((g) => g.aliasId === aliasId);
    return i < 0 ? undefined : error?.field(`grants.${i}.name`);
  };
  const toggle = (m: AliasView, on: boolean) =>
    setGranted((g) => {
      const next = new Map(g);
      if (on) next.set(m.id, team.grants.find((x) => x.aliasId === m.id)?.name ?? m.name);
      else next.delete(m.id);
      return next;
    });
  return (
    <form
      className="space-y-4 border-t border-slate-100 pt-3"
      aria-label={`${team.name}'s models and limits`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        // "Save anyway" (below, when the team still calls a model this takes away) says so.
        const force = (e.nativeEvent as SubmitEvent).submitter?.getAttribute("value") === "force";
        const input: TeamInput & { id: string } = {
          id: team.id,
          grants,
          ownProviders,
          workspaceRpm: number(limits.workspaceRpm),
          workspaceTpm: number(limits.workspaceTpm),
          workspaceBudgetUsd: number(limits.workspaceBudgetUsd),
          budgetPeriod,
          force,
        };
        save.mutate(input, { onSuccess: onDone });
      }}
    >
      {/* Errors the fields below do not show (a model deleted meanwhile, a period) are said here. */}
      {error && !error.fields.some((f) => SHOWN.test(f.path)) && <Alert>{error.message}</Alert>}
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Models granted to {team.name}</legend>
        {models.length === 0 && <p className="text-sm text-slate-500">The organization has no models yet.</p>}
        <ul className="space-y-2">
          {models.map((m) => (
            <li key={m.id} className="grid grid-cols-[1fr_1fr] items-start gap-3">
              <label className="flex items-center gap-2 pt-7 text-sm">
                <input type="checkbox" checked={granted.has(m.id)} onChange={(e) => toggle(m, e.target.checked)} />
                Grant <strong>{m.name}</strong>
                {m.description && <span className="text-xs text-slate-500">{m.description}</span>}
              </label>
              {granted.has(m.id) && (
                <TextField
                  label={`Name in ${team.name} for ${m.name}`}
                  value={granted.get(m.id)}
                  onChange={(e) => setGranted((g) => new Map(g).set(m.id, e.target.value))}
                  hint="What its builders pick in Agent steps"
                  error={grantError(m.id)}
                />
              )}
            </li>
          ))}
        </ul>
      </fieldset>
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <TextField
          label="Requests per minute, whole team"
          type="number"
          min="1"
          value={limits.workspaceRpm}
          onChange={(e) => setLimits({ ...limits, workspaceRpm: e.target.value })}
          error={error?.field("workspaceRpm")}
        />
        <TextField
          label="Tokens per minute, whole team"
          type="number"
          min="1"
          value={limits.workspaceTpm}
          onChange={(e) => setLimits({ ...limits, workspaceTpm: e.target.value })}
          error={error?.field("workspaceTpm")}
        />
        <TextField
          label="Team budget (USD)"
          type="number"
          min="0"
          step="0.01"
          value={limits.workspaceBudgetUsd}
          onChange={(e) => setLimits({ ...limits, workspaceBudgetUsd: e.target.value })}
          error={error?.field("workspaceBudgetUsd")}
          hint="Empty: no budget of its own"
        />
        <SelectField
          label="Budget period"
          value={budgetPeriod}
          onChange={(e) => setBudgetPeriod(e.target.value as "DAY" | "MONTH")}
          options={[
            { value: "MONTH", label: "Per month (UTC)" },
            { value: "DAY", label: "Per day (UTC)" },
          ]}
        />
      </div>
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" checked={ownProviders} onChange={(e) => setOwnProviders(e.target.checked)} />
        <span>
          Bring your own key: {team.name}&rsquo;s admins may connect providers and define models of their own, besides
          those granted here.
        </span>
      </label>
      <div className="flex gap-2">
        <Button type="submit" busy={save.isPending}>
          Save {team.name}
        </Button>
        {error?.field("force") && (
          <Button type="submit" variant="secondary" value="force" busy={save.isPending}>
            Save anyway
          </Button>
        )}
        <Button type="button" variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
