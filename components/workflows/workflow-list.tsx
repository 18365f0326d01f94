"use client";

import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ApiError } from "@/lib/queries/api-client";
import { useCreateWorkflow, useWorkflows } from "@/lib/queries/workflows";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** The workspace's workflows, newest edit first, with a quick way to start a new one. */
export function WorkflowList({ canCreate }: { canCreate: boolean }) {
  const workflows = useWorkflows();
  const create = useCreateWorkflow();
  const [name, setName] = useState("");

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Workflows</h1>
          <p className="text-sm text-slate-600">Agent workflows of this workspace.</p>
        </div>
        {canCreate && (
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate({ name }, { onSuccess: () => setName("") });
            }}
          >
            <label htmlFor="new-workflow" className="sr-only">
              New workflow name
            </label>
            <input
              id="new-workflow"
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="New workflow name"
              className="w-64 rounded-md border-0 px-3 py-2 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500"
            />
            <Button type="submit" busy={create.isPending}>
              New workflow
            </Button>
          </form>
        )}
      </div>
      {create.error && <Alert>{create.error instanceof ApiError ? create.error.message : "Could not create the workflow."}</Alert>}
      {workflows.isPending && <p className="text-sm text-slate-500">Loading workflows…</p>}
      {workflows.error && <Alert>Could not load workflows: {workflows.error.message}</Alert>}
      {workflows.data && (
        <div className="overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
          <table className="w-full text-left text-sm" data-testid="workflow-table">
            <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
              <tr>
                <th className="px-4 py-3 font-medium">Name</th>
                <th className="px-4 py-3 font-medium">Nodes</th>
                <th className="px-4 py-3 font-medium">Status</th>
                <th className="px-4 py-3 font-medium">Last edited</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {workflows.data.map((w) => (
                <tr key={w.id} data-testid="workflow-row">
                  <td className="px-4 py-3">
                    <Link href={`/workflows/${w.id}`} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                      {w.name}
                    </Link>
                    {w.description && <div className="mt-0.5 line-clamp-1 text-xs text-slate-500">{w.description}</div>}
                  </td>
                  <td className="px-4 py-3 text-slate-600">{w.nodeCount}</td>
                  <td className="px-4 py-3">
                    <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">draft</span>
                  </td>
                  <td className="px-4 py-3 text-slate-600">{when.format(new Date(w.updatedAt))}</td>
                </tr>
              ))}
              {workflows.data.length === 0 && (
                <tr>
                  <td colSpan={4} className="px-4 py-10 text-center text-slate-500">
                    No workflows yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
