"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api } from "@/lib/queries/api-client";

/**
 * The most one run of this workflow may spend on models (its loops and sub-workflows included):
 * a model call that could take it past the cap is refused, and the run fails saying so, or waits
 * for an admin to raise the cap, as chosen here.
 */
export function RunCostCap({ workflowId }: { workflowId: string }) {
  const client = useQueryClient();
  const key = ["workflow-run-cost-cap", workflowId];
  const id = useId();
  const workflow = useQuery({
    queryKey: key,
    queryFn: () =>
      api<{ maxRunCostUsd: number | null; costCapAction: "FAIL" | "REVIEW" }>(`/api/workflows/${workflowId}`),
  });
  const current = { ...workflow, data: workflow.data ? workflow.data.maxRunCostUsd : undefined };
  const [typed, setTyped] = useState<string | null>(null);
  const save = useMutation({
    meta: { showsError: true },
    mutationFn: (maxRunCostUsd: number | null) =>
      api(`/api/workflows/${workflowId}`, { method: "PATCH", body: { maxRunCostUsd } }),
    onSuccess: () => setTyped(null),
    onSettled: () => client.invalidateQueries({ queryKey: key }),
  });
  const action = useMutation({
    meta: { showsError: true },
    mutationFn: (costCapAction: "FAIL" | "REVIEW") =>
      api(`/api/workflows/${workflowId}`, { method: "PATCH", body: { costCapAction } }),
    onSettled: () => client.invalidateQueries({ queryKey: key }),
  });
  const shown = typed ?? (current.data == null ? "" : String(current.data));
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    save.mutate(shown.trim() === "" ? null : Number(shown));
  };
  return (
    <form onSubmit={submit} className="space-y-1.5 rounded-md bg-slate-50 p-2.5 text-xs ring-1 ring-slate-200">
      <label htmlFor={`${id}-cap`} className="block font-medium text-slate-800">
        Cost cap per run (USD)
      </label>
      <p id={`${id}-help`} className="text-slate-500">
        A run stops when its next model call could take it past this, its loops and sub-workflows included. Empty: no
        cap.
      </p>
      <div className="flex gap-2">
        <input
          id={`${id}-cap`}
          type="number"
          inputMode="decimal"
          min="0"
          step="any"
          placeholder="No cap"
          aria-describedby={`${id}-help ${id}-status`}
          className="w-28 rounded-md border border-slate-300 px-2 py-1 text-sm"
          value={shown}
          disabled={current.isPending}
          onChange={(e) => setTyped(e.target.value)}
        />
        <button
          type="submit"
          className="rounded-md bg-slate-800 px-2.5 py-1 font-medium text-white disabled:opacity-50"
          disabled={save.isPending || typed === null}
        >
          Save cap
        </button>
      </div>
      <label htmlFor={`${id}-action`} className="block pt-1 font-medium text-slate-800">
        When a run reaches it
      </label>
      <select
        id={`${id}-action`}
        className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
        value={workflow.data?.costCapAction ?? "FAIL"}
        disabled={workflow.isPending || action.isPending}
        onChange={(e) => action.mutate(e.target.value as "FAIL" | "REVIEW")}
      >
        <option value="FAIL">Stop the run: it fails, saying why</option>
        <option value="REVIEW">Wait for an admin to raise the cap, then go on</option>
      </select>
      <p id={`${id}-status`} role="status" className={save.error ? "text-red-700" : "text-slate-600"}>
        {save.error
          ? save.error.message
          : save.isSuccess && typed === null
            ? current.data == null
              ? "Saved: runs have no cost cap."
              : `Saved: each run may spend up to $${current.data}.`
            : ""}
      </p>
    </form>
  );
}
