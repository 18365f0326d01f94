"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { useInstallationOwners, useMembers, useSetInstallationOwner } from "@/lib/queries/members";

/**
 * Installation owners may configure commands that run on the studio's machine (stdio MCP
 * servers). An owner names others here; everyone else sees who they are.
 */
export function InstallationOwners({ selfUserId }: { selfUserId: string }) {
  const owners = useInstallationOwners();
  const members = useMembers();
  const set = useSetInstallationOwner();
  // A change shows at once; a refusal puts the box back.
  const [shown, setShown] = useState<Record<string, boolean>>({});
  if (!owners.data || !members.data) return null;
  const { viewerIsOwner, ownerUserIds } = owners.data;
  const people = members.data.filter((m) => m.status === "ACTIVE");
  return (
    <section className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="installation-owners">
      <h2 className="font-semibold">Installation owners</h2>
      <p className="mt-1 text-xs text-slate-500">
        Only they may add or change tool servers that run a command on this machine (stdio).
        {viewerIsOwner ? " You are one." : ""}
      </p>
      {set.error && <Alert>{set.error.message}</Alert>}
      <ul className="mt-3 space-y-1 text-sm">
        {people.map((m) => {
          const isOwner = shown[m.userId] ?? ownerUserIds.includes(m.userId);
          if (!viewerIsOwner) return isOwner ? <li key={m.id}>{m.name}</li> : null;
          return (
            <li key={m.id}>
              <label className="flex items-center gap-2">
                <input
                  type="checkbox"
                  checked={isOwner}
                  disabled={m.userId === selfUserId || set.isPending}
                  aria-label={`${m.name} is an installation owner`}
                  onChange={(e) => {
                    const owner = e.target.checked;
                    setShown((s) => ({ ...s, [m.userId]: owner }));
                    set.mutate(
                      { userId: m.userId, owner },
                      { onError: () => setShown((s) => ({ ...s, [m.userId]: !owner })) },
                    );
                  }}
                />
                {m.name}
              </label>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
