"use client";

import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useGrants, useSetGrantAccess } from "@/lib/queries/gateway";
import { useMembers } from "@/lib/queries/members";
import type { Role } from "@/lib/schemas/identity";
import type { GrantView } from "@/lib/schemas/teams";

const ROLES: Role[] = ["ADMIN", "BUILDER", "REVIEWER"];

const who = (g: GrantView) =>
  [
    g.allowedRoles.map((r) => r.toLowerCase()).join(", ") || "no role",
    g.allowedUserIds.length
      ? `+ ${g.allowedUserIds.length} ${g.allowedUserIds.length === 1 ? "person" : "people"}`
      : "",
  ]
    .filter(Boolean)
    .join(" ");

function AccessForm({ grant, onDone }: { grant: GrantView; onDone: () => void }) {
  const members = useMembers();
  const save = useSetGrantAccess();
  const [roles, setRoles] = useState(grant.allowedRoles);
  const [people, setPeople] = useState(grant.allowedUserIds);
  const flip = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));
  return (
    <form
      className="space-y-2 rounded-lg bg-slate-50 p-3"
      aria-label={`Who may use ${grant.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ id: grant.id, allowedRoles: roles, allowedUserIds: people }, { onSuccess: onDone });
      }}
    >
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="sr-only">Roles</legend>
        {ROLES.map((r) => (
          <label key={r} className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={roles.includes(r)}
              onChange={(e) => setRoles(flip(roles, r, e.target.checked))}
            />
            Every {r.toLowerCase()}
          </label>
        ))}
      </fieldset>
      {!!members.data?.length && (
        <fieldset className="grid grid-cols-2 gap-1 text-sm">
          <legend className="text-xs text-slate-600">And these people</legend>
          {members.data.map((m) => (
            <label key={m.userId} className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={people.includes(m.userId)}
                onChange={(e) => setPeople(flip(people, m.userId, e.target.checked))}
              />
              {m.name} <span className="text-xs text-slate-500">({m.role.toLowerCase()})</span>
            </label>
          ))}
        </fieldset>
      )}
      {save.error && <Alert>{save.error.message}</Alert>}
      <div className="flex gap-2">
        <Button type="submit" size="sm" busy={save.isPending}>
          Save who may use {grant.name}
        </Button>
        <Button type="button" size="sm" variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** The organization's models this team may use, under the names its builders pick, and who here may use each. */
export function GrantedModelsSection({
  teamName,
  owner,
}: {
  teamName: string;
  /** The viewer is an installation owner: they grant models themselves. */
  owner: boolean;
}) {
  const grants = useGrants();
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <section
      aria-labelledby="granted-title"
      className="space-y-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200"
    >
      <div>
        <h2 id="granted-title" className="font-semibold">
          Models granted to {teamName}
        </h2>
        <p className="text-sm text-slate-600">
          The organization&rsquo;s models, granted by its installation owners. You decide who here may use each.
        </p>
      </div>
      {grants.error && <Alert>{grants.error.message}</Alert>}
      <table className="w-full text-sm" aria-label="Granted models">
        <thead className="border-b border-slate-100 text-left text-xs text-slate-500">
          <tr>
            <th className="py-2 font-medium">Name builders pick</th>
            <th className="py-2 font-medium">Organization model</th>
            <th className="py-2 font-medium">Who</th>
            <th />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {!grants.data?.some((g) => g.name === "demo") && (
            <tr>
              <td className="py-2 font-medium">demo</td>
              <td className="py-2 text-slate-600">Built-in simulated model (no key; answers say they are simulated)</td>
              <td className="py-2 text-slate-600">everyone</td>
              <td />
            </tr>
          )}
          {grants.data?.map((g) => (
            <tr key={g.id}>
              <td className="py-2 align-top font-medium">
                {g.name}
                {g.description && <div className="text-xs font-normal text-slate-500">{g.description}</div>}
              </td>
              <td className="py-2 align-top text-slate-600">{g.aliasName}</td>
              <td className="py-2 align-top text-slate-600">
                {editing === g.id ? <AccessForm grant={g} onDone={() => setEditing(null)} /> : who(g)}
              </td>
              <td className="py-2 text-right align-top">
                {editing !== g.id && (
                  <Button
                    variant="ghost"
                    size="sm"
                    onClick={() => setEditing(g.id)}
                    aria-label={`Change who may use ${g.name}`}
                  >
                    Change who
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {grants.data?.length === 0 && (
        <p className="text-sm text-slate-500">
          Only the built-in demo model so far: none of the organization&rsquo;s models is granted to {teamName} yet.{" "}
          {owner ? (
            <>
              Grant models to it under{" "}
              <Link href="/organization/teams" className="text-brand-700 underline">
                Organization → Teams
              </Link>
              .
            </>
          ) : (
            "Ask an installation owner to grant models under Organization → Teams."
          )}
        </p>
      )}
    </section>
  );
}
