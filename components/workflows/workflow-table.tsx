"use client";

import Link from "next/link";
import { Button } from "@/components/ui/button";
import { useDeleteWorkflow, useDuplicateWorkflow, useRestoreWorkflow } from "@/lib/queries/workflows";
import type { WorkflowSummary } from "@/lib/schemas/workflow";
import { Moment } from "@/components/ui/moment-text";

const runBadge: Record<string, string> = {
  COMPLETED: "bg-emerald-50 text-emerald-700",
  FAILED: "bg-red-50 text-red-700",
  WAITING: "bg-amber-50 text-amber-700",
  RUNNING: "bg-sky-50 text-sky-700",
  QUEUED: "bg-sky-50 text-sky-700",
  CANCELLED: "bg-slate-100 text-slate-600",
};

export function WorkflowTable({
  rows,
  bin,
  canWrite,
  emptyText,
}: {
  rows: WorkflowSummary[];
  bin: boolean;
  canWrite: boolean;
  emptyText: string;
}) {
  const duplicate = useDuplicateWorkflow();
  const remove = useDeleteWorkflow();
  const restore = useRestoreWorkflow();
  const busy = duplicate.isPending || remove.isPending || restore.isPending;

  return (
    <div className="overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
      <table className="w-full text-left text-sm" data-testid="workflow-table">
        <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
          <tr>
            <th className="px-4 py-3 font-medium">Name</th>
            <th className="px-4 py-3 font-medium">Steps</th>
            <th className="px-4 py-3 font-medium">Status</th>
            <th className="px-4 py-3 font-medium">Last run</th>
            <th className="px-4 py-3 font-medium">{bin ? "Deleted" : "Last edited"}</th>
            <th className="px-4 py-3" />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((w) => (
            <tr key={w.id} data-testid="workflow-row" data-name={w.name}>
              <td className="px-4 py-3">
                {bin ? (
                  <span className="font-medium text-slate-700">{w.name}</span>
                ) : (
                  <Link
                    href={`/workflows/${w.id}`}
                    className="font-medium text-slate-900 hover:text-brand-700 hover:underline"
                  >
                    {w.name}
                  </Link>
                )}
                {w.description && <div className="mt-0.5 line-clamp-1 text-xs text-slate-500">{w.description}</div>}
              </td>
              <td className="px-4 py-3 text-slate-600">{w.nodeCount}</td>
              <td className="px-4 py-3">
                <span
                  className={`rounded-full px-2 py-0.5 text-xs font-medium ${w.publishedVersion ? "bg-emerald-50 text-emerald-700" : "bg-slate-100 text-slate-700"}`}
                  data-testid="workflow-status"
                >
                  {w.publishedVersion ? `published v${w.publishedVersion}` : "draft"}
                </span>
              </td>
              <td className="px-4 py-3 text-xs text-slate-600" data-testid="workflow-last-run">
                {w.lastRun ? (
                  <>
                    <span
                      className={`mr-1.5 rounded-full px-1.5 py-0.5 font-semibold ${runBadge[w.lastRun.status] ?? "bg-slate-100 text-slate-600"}`}
                    >
                      {w.lastRun.status.toLowerCase()}
                    </span>
                    <Moment at={w.lastRun.createdAt} />
                  </>
                ) : (
                  <span className="text-slate-500">never run</span>
                )}
              </td>
              <td className="px-4 py-3 text-slate-600">
                <Moment at={bin && w.deletedAt ? w.deletedAt : w.updatedAt} />
              </td>
              <td className="px-4 py-3 text-right whitespace-nowrap">
                {canWrite && bin && (
                  <Button variant="secondary" disabled={busy} onClick={() => restore.mutate(w.id)}>
                    Restore
                  </Button>
                )}
                {canWrite && !bin && (
                  <span className="inline-flex gap-1">
                    <Button
                      variant="ghost"
                      disabled={busy}
                      onClick={() => duplicate.mutate(w.id)}
                      aria-label={`Duplicate ${w.name}`}
                    >
                      Duplicate
                    </Button>
                    <Button
                      variant="ghost"
                      disabled={busy}
                      onClick={() => remove.mutate(w.id)}
                      aria-label={`Delete ${w.name}`}
                      className="!text-red-600"
                    >
                      Delete
                    </Button>
                  </span>
                )}
              </td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={6} className="px-4 py-10 text-center text-slate-500">
                {emptyText}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
