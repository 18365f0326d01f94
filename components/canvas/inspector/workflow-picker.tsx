"use client";

import { useWorkflows } from "@/lib/queries/workflows";

/** Picks a published workflow of the workspace for a Sub-workflow step. */
export function WorkflowPicker({
  value,
  onChange,
  excludeId,
  ...aria
}: {
  value: string;
  onChange: (id: string) => void;
  excludeId?: string;
  id?: string;
  "aria-describedby"?: string;
}) {
  const workflows = useWorkflows();
  const published = (workflows.data ?? []).filter((w) => w.publishedVersion !== null && w.id !== excludeId);
  const missing = value && workflows.data && !published.some((w) => w.id === value);
  return (
    <select
      {...aria}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      className="block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500"
    >
      <option value="">
        {workflows.isPending
          ? "Loading workflows…"
          : published.length
            ? "Pick a published workflow"
            : "No published workflows yet"}
      </option>
      {missing && <option value={value}>Unknown or unpublished workflow</option>}
      {published.map((w) => (
        <option key={w.id} value={w.id}>
          {w.name} (v{w.publishedVersion})
        </option>
      ))}
    </select>
  );
}
