"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ApiError } from "@/lib/queries/api-client";
import { useMembers, useUpdateMember } from "@/lib/queries/members";
import { roleSchema, type Role } from "@/lib/schemas/identity";

export function MembersTable({ selfUserId }: { selfUserId: string }) {
  const members = useMembers();
  const update = useUpdateMember();

  if (members.isPending) return <p className="text-sm text-slate-500">Loading members…</p>;
  if (members.error) return <Alert>Could not load members: {members.error.message}</Alert>;
  const otherAdmin = members.data.some((m) => m.userId !== selfUserId && m.role === "ADMIN" && m.status === "ACTIVE");

  return (
    <div className="space-y-3">
      {update.error && (
        <Alert>{update.error instanceof ApiError ? update.error.message : "Could not change the member."}</Alert>
      )}
      <div className="overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
        <table className="w-full text-left text-sm" data-testid="members-table">
          <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
            <tr>
              <th className="px-4 py-3 font-medium">Person</th>
              <th className="px-4 py-3 font-medium">Role</th>
              <th className="px-4 py-3 font-medium">Status</th>
              <th className="px-4 py-3" />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {members.data.map((m) => {
              const self = m.userId === selfUserId;
              const active = m.status === "ACTIVE";
              return (
                <tr
                  key={m.id}
                  data-testid="member-row"
                  data-email={m.email}
                  className={active ? "" : "bg-slate-50 text-slate-500"}
                >
                  <td className="px-4 py-3">
                    <div className="font-medium">
                      {m.name} {self && <span className="text-xs font-normal text-slate-500">(you)</span>}
                    </div>
                    <div className="text-xs text-slate-500">{m.email}</div>
                  </td>
                  <td className="px-4 py-3">
                    {self ? (
                      // Nobody changes their own role (so a workspace never loses its last admin): said, not a dead control.
                      <>
                        <span className="text-sm">{m.role.toLowerCase()}</span>
                        <p className="text-xs text-slate-500">
                          {otherAdmin
                            ? "Another admin can change your role."
                            : "You are the only admin: make someone else admin before your role can change."}
                        </p>
                      </>
                    ) : (
                      <>
                        <label className="sr-only" htmlFor={`role-${m.id}`}>
                          Role of {m.name}
                        </label>
                        <select
                          id={`role-${m.id}`}
                          value={m.role}
                          disabled={update.isPending}
                          onChange={(e) => update.mutate({ id: m.id, role: e.target.value as Role })}
                          className="rounded-md border-0 py-1 pr-8 pl-2 text-sm ring-1 ring-slate-300 ring-inset disabled:bg-slate-50"
                        >
                          {roleSchema.options.map((r) => (
                            <option key={r} value={r}>
                              {r.toLowerCase()}
                            </option>
                          ))}
                        </select>
                      </>
                    )}
                  </td>
                  <td className="px-4 py-3">
                    <span
                      className={`rounded-full px-2 py-0.5 text-xs font-medium ${active ? "bg-emerald-50 text-emerald-700" : "bg-slate-200 text-slate-600"}`}
                    >
                      {active ? "active" : "deactivated"}
                    </span>
                  </td>
                  <td className="px-4 py-3 text-right">
                    {!self && (
                      <Button
                        variant={active ? "danger" : "secondary"}
                        disabled={update.isPending}
                        onClick={() => update.mutate({ id: m.id, status: active ? "DEACTIVATED" : "ACTIVE" })}
                      >
                        {active ? "Deactivate" : "Reactivate"}
                      </Button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
