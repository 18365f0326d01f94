"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
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
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);

  async function switchTo(id: string) {
    setError(null);
    try {
      await api("/api/workspaces/current", { method: "PUT", body: { workspaceId: id } });
      router.push("/");
      router.refresh();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "Could not switch workspace.");
    }
  }

  async function create(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      const created = await api<{ id: string }>("/api/workspaces", { body: { name } });
      setCreating(false);
      await switchTo(created.id);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "Could not create the workspace.");
    } finally {
      setBusy(false);
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
        onChange={(e) => (e.target.value === NEW ? setCreating(true) : void switchTo(e.target.value))}
        className="max-w-56 truncate rounded-md border-0 bg-slate-100 py-1.5 pr-8 pl-3 text-sm font-medium text-slate-800 focus:ring-2 focus:ring-brand-500"
      >
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
        {canCreate && <option value={NEW}>+ New workspace…</option>}
      </select>
      {error && !creating && <span className="text-xs text-red-600">{error}</span>}
      {creating && (
        <Dialog title="New workspace" onClose={() => setCreating(false)} testId="new-workspace-dialog">
          <form onSubmit={create} className="space-y-4">
            <p className="text-sm text-slate-600">
              You will be its admin; it starts with the demo workflow. Nothing of this workspace is visible from the new
              one.
            </p>
            <TextField label="Workspace name" name="name" required autoFocus />
            {error && <Alert>{error}</Alert>}
            <div className="flex justify-end gap-2">
              <Button type="button" variant="secondary" onClick={() => setCreating(false)}>
                Cancel
              </Button>
              <Button type="submit" busy={busy}>
                Create workspace
              </Button>
            </div>
          </form>
        </Dialog>
      )}
    </div>
  );
}
