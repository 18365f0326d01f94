"use client";

import { Button } from "@/components/ui/button";
import { useInvitations, useRevokeInvitation } from "@/lib/queries/members";

export function InvitationList() {
  const invitations = useInvitations();
  const revoke = useRevokeInvitation();
  if (!invitations.data?.length) return null;
  return (
    <section className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <h2 className="font-semibold">Pending invitations</h2>
      <ul className="mt-3 divide-y divide-slate-100 text-sm" data-testid="invitation-list">
        {invitations.data.map((inv) => (
          <li key={inv.id} className="flex items-center justify-between gap-3 py-2">
            <div>
              <div className="font-medium">{inv.name}</div>
              <div className="text-xs text-slate-500">
                {inv.email} · {inv.role.toLowerCase()}
              </div>
            </div>
            <Button variant="ghost" disabled={revoke.isPending} onClick={() => revoke.mutate(inv.id)}>
              Revoke
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
