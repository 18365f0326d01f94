"use client";

import { noDifference, type GraphDiff } from "@/lib/canvas/diff-graphs";
import { specOf } from "@/lib/schemas/node-kinds";
import { fieldTitle } from "./inspector/json-schema";
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
      {diff && comparing !== null && <DiffSummary diff={diff} version={comparing} onStop={() => onCompare(null)} />}
      <ul className="space-y-2" data-testid="version-list">
        {versions.data.map((v, i) => (
          <li
            key={v.version}
            className={`rounded-md p-2.5 ring-1 ${viewing === v.version ? "bg-brand-50 ring-brand-200" : "ring-slate-200"}`}
            data-testid={`version-${v.version}`}
          >
            <div className="flex items-baseline justify-between">
              <span className="text-sm font-semibold">
                v{v.version}
                {i === 0 && (
                  <span
                    className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-900"
                    title="Runs started from a trigger, a chat, the API or another workflow use this version"
                  >
                    Live
                  </span>
                )}
              </span>
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

/** What the draft changed since a version, step by step, in the words of the step's form. */
function DiffSummary({ diff, version, onStop }: { diff: GraphDiff; version: number; onStop: () => void }) {
  const name = (id: string) => {
    const node = diff.nodes[id];
    if (!node) return id;
    const kind = specOf(node.kind).label;
    return node.label === kind ? kind : `${node.label} (${kind})`;
  };
  const connections = diff.edgesAdded.length + diff.edgesRemoved.length;
  return (
    <div className="rounded-md bg-sky-50 p-2.5 text-xs text-sky-900 ring-1 ring-sky-200" data-testid="diff-summary">
      <div className="font-medium">Draft compared with v{version}</div>
      {noDifference(diff) ? (
        <p>No difference: the draft runs as v{version} does (where steps sit on the canvas is not compared).</p>
      ) : (
        <>
          <p>
            {diff.added.length} added · {diff.removed.length} removed · {diff.changed.length} changed · {connections}{" "}
            connection{connections === 1 ? "" : "s"} changed
          </p>
          <ul className="mt-1 space-y-0.5">
            {diff.added.map((id) => (
              <li key={`+${id}`}>Added: {name(id)}</li>
            ))}
            {diff.removed.map((id) => (
              <li key={`-${id}`}>Removed: {name(id)}</li>
            ))}
            {diff.changed.map((c) => (
              <li key={c.id}>
                Changed: {name(c.id)}: {c.fields.map((f) => fieldTitle(diff.nodes[c.id]!.kind, f)).join(", ")}
              </li>
            ))}
          </ul>
        </>
      )}
      <button type="button" className="mt-1 font-medium underline" onClick={onStop}>
        Stop comparing
      </button>
    </div>
  );
}
