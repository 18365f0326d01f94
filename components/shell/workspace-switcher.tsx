"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, ApiError } from "@/lib/queries/api-client";

interface Props {
  current: { id: string; name: string };
  workspaces: { id: string; name: string; role: string }[];
  canCreate: boolean;
}

const NEW = "__new__";

/** Picks the workspace to work in; admins can start a new one from here. */
export function WorkspaceSwitcher({ current, workspaces, canCreate }: Props) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);

  async function onChange(value: string) {
    setError(null);
    try {
      if (value === NEW) {
        const name = window.prompt("Name of the new workspace")?.trim();
        if (!name) return;
        const created = await api<{ id: string }>("/api/workspaces", { body: { name } });
        value = created.id;
      }
      await api("/api/workspaces/current", { method: "PUT", body: { workspaceId: value } });
      router.push("/");
      router.refresh();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "Could not switch workspace.");
    }
  }

  return (
    <div className="flex items-center gap-2">
      <label className="sr-only" htmlFor="workspace-switcher">
        Workspace
      </label>
      <select
        id="workspace-switcher"
        data-testid="workspace-switcher"
        value={current.id}
        onChange={(e) => void onChange(e.target.value)}
        className="max-w-48 truncate rounded-md border-0 bg-slate-100 py-1.5 pr-8 pl-3 text-sm font-medium text-slate-800 focus:ring-2 focus:ring-brand-500"
      >
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
        {canCreate && <option value={NEW}>+ New workspace…</option>}
      </select>
      {error && <span className="text-xs text-red-600">{error}</span>}
    </div>
  );
}
