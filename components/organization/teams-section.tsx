"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useAliases, useTeams } from "@/lib/queries/gateway";
import type { TeamView } from "@/lib/schemas/teams";
import { TeamForm } from "./team-form";

const usd = (n: number) => `$${n.toFixed(2)}`;
const perMinute = (n: number | null, unit: string) => (n === null ? null : `${n.toLocaleString()} ${unit}/min`);

/** What a team may do, in a line. */
function limitsLine(t: TeamView): string {
  const parts = [
    t.workspaceBudgetUsd === null
      ? "no budget of its own"
      : `${usd(t.spentUsd)} of ${usd(t.workspaceBudgetUsd)} this ${t.budgetPeriod === "DAY" ? "day" : "month"}`,
    perMinute(t.workspaceRpm, "requests"),
    perMinute(t.workspaceTpm, "tokens"),
    t.ownProviders ? `brings its own keys (${t.ownModels} model${t.ownModels === 1 ? "" : "s"} of its own)` : "",
  ];
  return parts.filter(Boolean).join(" · ");
}

/**
 * Organization → Teams: every workspace as a team, with the organization's models granted to it
 * (under the names its builders pick), its own limits and budget, and "bring your own key".
 */
export function TeamsSection() {
  const teams = useTeams();
  const models = useAliases("organization");
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <section aria-labelledby="teams-title" className="space-y-3">
      <div>
        <h2 id="teams-title" className="text-lg font-semibold">
          Teams
        </h2>
        <p className="text-sm text-slate-600">
          Each workspace is a team. It uses the models granted to it here (and the built-in demo model), within its
          limits and budget; its admins say who in the team may use each, and set limits per person within the
          team&rsquo;s.
        </p>
      </div>
      {teams.error && <Alert>{teams.error.message}</Alert>}
      {models.error && <Alert>The organization&rsquo;s models could not be read: {models.error.message}</Alert>}
      {models.data?.length === 0 && (
        <Alert tone="info">
          The organization has no models yet: add a provider and a model under Models and providers, then grant it here.
        </Alert>
      )}
      <ul aria-label="Teams" className="space-y-3">
        {teams.data?.map((t) => (
          <li key={t.id} className="space-y-3 rounded-xl bg-white p-4 ring-1 ring-slate-200" aria-label={t.name}>
            <div className="flex items-start justify-between gap-4">
              <div className="space-y-1">
                <p className="font-medium">
                  {t.name}{" "}
                  <span className="text-xs font-normal text-slate-500">
                    {t.members} member{t.members === 1 ? "" : "s"}
                  </span>
                </p>
                <p className="text-xs text-slate-600">{limitsLine(t)}</p>
                <p className="text-sm">
                  {t.grants.length ? (
                    <>
                      Models:{" "}
                      {t.grants.map((g, i) => (
                        <span key={g.id}>
                          {i > 0 && ", "}
                          <strong>{g.name}</strong>
                          {g.name !== g.aliasName && <span className="text-slate-500"> ({g.aliasName})</span>}
                        </span>
                      ))}
                    </>
                  ) : (
                    <span className="text-slate-500">No models granted: only the built-in demo model.</span>
                  )}
                </p>
                <p className="text-sm">
                  {t.toolServers.length ? (
                    <>
                      Tool servers: <strong>{t.toolServers.join(", ")}</strong>
                    </>
                  ) : (
                    <span className="text-slate-500">No tool servers granted.</span>
                  )}
                </p>
              </div>
              {editing !== t.id && (
                <Button size="sm" variant="secondary" onClick={() => setEditing(t.id)} aria-label={`Edit ${t.name}`}>
                  Edit
                </Button>
              )}
            </div>
            {editing === t.id && models.data && (
              <TeamForm team={t} models={models.data} onDone={() => setEditing(null)} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
