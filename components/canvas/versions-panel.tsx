"use client";

import type { GraphDiff } from "@/lib/canvas/diff-graphs";
import { useWorkflowVersions } from "@/lib/queries/workflow-editor";
import { ExposeAsTool } from "./expose-as-tool";
import { RunCostCap } from "./run-cost-cap";
import { Moment } from "@/components/ui/moment-text";

/** Published versions: open one read-only, compare it with the draft, or restore it into the draft. */
export function VersionsPanel({
  workflowId,
  viewing,
  comparing,
  diff,
  onOpen,
  onCompare,
  onRestore,
}: {
  workflowId: string;
  viewing: number | null;
  comparing: number | null;
  diff: GraphDiff | null;
  onOpen: (v: number | null) => void;
  onCompare: (v: number | null) => void;
  onRestore: (v: number) => void;
}) {
  const versions = useWorkflowVersions(workflowId);
  // Applies to every run, test runs of the draft included: shown before anything is published.
  const cap = <RunCostCap workflowId={workflowId} />;
  if (versions.isPending) return <p className="text-sm text-slate-500">Loading versions…</p>;
  if (versions.error) return <p className="text-sm text-red-600">Could not load versions: {versions.error.message}</p>;
  if (versions.data.length === 0)
    return (
      <div className="space-y-3">
        {cap}
        <p className="text-sm text-slate-500">Not published yet. Publish to create version 1.</p>
      </div>
    );
  return (
    <div className="space-y-3">
      {cap}
      <ExposeAsTool workflowId={workflowId} />
      {diff && comparing !== null && (
        <div className="rounded-md bg-sky-50 p-2.5 text-xs text-sky-900 ring-1 ring-sky-200" data-testid="diff-summary">
          <div className="font-medium">Draft compared with v{comparing}</div>
          <div>
            {diff.added.length} added · {diff.removed.length} removed · {diff.changed.length} changed ·{" "}
            {diff.edgesAdded.length + diff.edgesRemoved.length} connections changed
          </div>
          {diff.removed.length > 0 && <div>Removed: {diff.removed.join(", ")}</div>}
          {diff.changed.map((c) => (
            <div key={c.id}>
              {c.id}: {c.fields.join(", ")}
            </div>
          ))}
          <button type="button" className="mt-1 font-medium underline" onClick={() => onCompare(null)}>
            Stop comparing
          </button>
        </div>
      )}
      <ul className="space-y-2" data-testid="version-list">
        {versions.data.map((v) => (
          <li
            key={v.version}
            className={`rounded-md p-2.5 ring-1 ${viewing === v.version ? "bg-brand-50 ring-brand-200" : "ring-slate-200"}`}
            data-testid={`version-${v.version}`}
          >
            <div className="flex items-baseline justify-between">
              <span className="text-sm font-semibold">v{v.version}</span>
              <span className="text-xs text-slate-500">
                <Moment at={v.createdAt} />
              </span>
            </div>
            {v.note && <p className="mt-0.5 text-xs text-slate-700">{v.note}</p>}
            {v.gateOverride && (
              <p className="mt-0.5 text-xs text-amber-900">
                <span aria-hidden>! </span>Published over the evaluation gate: {v.gateOverride}
              </p>
            )}
            <p className="text-xs text-slate-500">by {v.authorName ?? "unknown"}</p>
            <div className="mt-1.5 flex gap-3 text-xs font-medium text-brand-600">
              <button type="button" onClick={() => onOpen(viewing === v.version ? null : v.version)}>
                {viewing === v.version ? "Back to draft" : "Open"}
              </button>
              <button type="button" onClick={() => onCompare(comparing === v.version ? null : v.version)}>
                {comparing === v.version ? "Stop comparing" : "Compare with draft"}
              </button>
              <button type="button" onClick={() => onRestore(v.version)}>
                Restore into draft
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
