"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import { useApplicationKeys, useRevokeApplicationKey } from "@/lib/queries/api-keys";
import type { ApplicationKeyView } from "@/lib/schemas/api-key";
import { ApplicationKeyForm } from "./application-key-form";
import { useConfirm } from "@/components/ui/confirm";
import { revokeQuestion } from "./revoke-question";
import { moment } from "@/components/ui/moment";
import { Moment } from "@/components/ui/moment-text";

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
        ? `expired on ${moment(k.expiresAt, { dayOnly: true })}: it no longer works`
        : `until ${moment(k.expiresAt, { dayOnly: true })}`
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
  const confirm = useConfirm();
  const keys = useApplicationKeys(true);
  const revoke = useRevokeApplicationKey();
  const [made, setMade] = useState<{ name: string; key: string } | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
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
          <li key={k.id} className="space-y-3 rounded-xl bg-white p-4 ring-1 ring-slate-200">
            <div className="flex items-start justify-between gap-4">
              <div className="space-y-1">
                <p className="font-medium">
                  {k.name} <span className="font-mono text-xs text-slate-500">{k.prefix}</span>
                </p>
                <p className="text-xs text-slate-600">{limitsOf(k)}</p>
                <p className="text-xs text-slate-500">
                  Made by {k.createdByName} · last used {k.lastUsedAt ? <Moment at={k.lastUsedAt} /> : "never"}
                </p>
              </div>
              <div className="flex shrink-0 gap-2">
                {editing !== k.id && (
                  <Button variant="secondary" size="sm" aria-label={`Edit ${k.name}`} onClick={() => setEditing(k.id)}>
                    Edit
                  </Button>
                )}
                <Button
                  variant="danger"
                  size="sm"
                  busy={revoke.isPending && revoke.variables === k.id}
                  aria-label={`Revoke ${k.name}`}
                  onClick={async () => {
                    const yes = await confirm(revokeQuestion(k.name));
                    if (yes) revoke.mutate(k.id);
                  }}
                >
                  Revoke
                </Button>
              </div>
            </div>
            {editing === k.id && (
              <ApplicationKeyForm initial={k} onSaved={() => setEditing(null)} onCancel={() => setEditing(null)} />
            )}
          </li>
        ))}
        {keys.data?.length === 0 && <li className="text-sm text-slate-500">No application key yet.</li>}
      </ul>
      <ApplicationKeyForm onSaved={(k) => k.key && setMade({ name: k.name, key: k.key })} />
    </section>
  );
}
