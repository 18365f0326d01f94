"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { ApiError } from "@/lib/queries/api-client";
import { useCreateWorkflow, useWorkflows } from "@/lib/queries/workflows";
import { NewWorkflowMenu } from "./new-workflow-menu";
import { WorkflowTable } from "./workflow-table";

type Sort = "edited" | "name";

/** The workspace's workflows: search, sort, create (blank, template, import), and the bin. */
export function WorkflowList({ canCreate }: { canCreate: boolean }) {
  const router = useRouter();
  const [bin, setBin] = useState(false);
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<Sort>("edited");
  const workflows = useWorkflows(bin);
  const create = useCreateWorkflow();

  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    const rows = (workflows.data ?? []).filter(
      (w) => !q || w.name.toLowerCase().includes(q) || w.description.toLowerCase().includes(q),
    );
    return sort === "name" ? [...rows].sort((a, b) => a.name.localeCompare(b.name)) : rows;
  }, [workflows.data, search, sort]);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{bin ? "Deleted workflows" : "Workflows"}</h1>
          <p className="text-sm text-slate-600">
            {bin ? "Deleted workflows can be restored for 30 days." : "Agent workflows of this workspace."}
            {!bin && (
              <>
                {" "}
                Values they share:{" "}
                <Link href="/admin/variables" className="font-medium text-brand-700 underline">
                  variables and secrets
                </Link>
                .
              </>
            )}
          </p>
        </div>
        {canCreate && !bin && (
          <NewWorkflowMenu
            onBlank={(name) =>
              create.mutate({ name, description: "" }, { onSuccess: (w) => router.push(`/workflows/${w.id}`) })
            }
            busy={create.isPending}
          />
        )}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <label className="sr-only" htmlFor="workflow-search">
          Search workflows
        </label>
        <input
          id="workflow-search"
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder="Search workflows"
          className="w-72 rounded-md border-0 px-3 py-2 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500"
        />
        <label className="flex items-center gap-2 text-sm text-slate-600">
          Sort by
          <select
            value={sort}
            onChange={(e) => setSort(e.target.value as Sort)}
            className="rounded-md border-0 py-1.5 pr-8 pl-2 text-sm ring-1 ring-slate-300 ring-inset"
          >
            <option value="edited">last edited</option>
            <option value="name">name</option>
          </select>
        </label>
        <button
          type="button"
          onClick={() => setBin(!bin)}
          className="ml-auto text-sm font-medium text-brand-600 hover:underline"
        >
          {bin ? "← Back to workflows" : "Deleted workflows"}
        </button>
      </div>
      {create.error && (
        <Alert>{create.error instanceof ApiError ? create.error.message : "Could not create the workflow."}</Alert>
      )}
      {workflows.isPending && <p className="text-sm text-slate-500">Loading workflows…</p>}
      {workflows.error && <Alert>Could not load workflows: {workflows.error.message}</Alert>}
      {workflows.data && (
        <WorkflowTable
          rows={shown}
          bin={bin}
          canWrite={canCreate}
          emptyText={search ? `No workflow matches “${search}”.` : bin ? "The bin is empty." : "No workflows yet."}
        />
      )}
    </div>
  );
}
