"use client";

import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { SaveStatus } from "@/lib/canvas/use-autosave";
import { useRenameWorkflow } from "@/lib/queries/workflow-editor";
import { SaveStatusBadge } from "./save-status";

interface Props {
  workflowId: string;
  name: string;
  readOnly: boolean;
  save: { status: SaveStatus; error: string | null; retry: () => void };
  canUndo: boolean;
  canRedo: boolean;
  problemCount: number;
  onUndo: () => void;
  onRedo: () => void;
  onLayout: () => void;
  onExport: () => void;
  onPublish: () => void;
  /** The live version, when the draft is no different from it (nothing to publish). */
  unchangedSince: number | null;
  onRun: () => void;
  showStats: boolean;
  onToggleStats: () => void;
}

const READ_ONLY = "This view is read-only";

/** Why the draft cannot be run or published yet, or null when it can. */
function blockedBecause(problemCount: number, status: SaveStatus): string | null {
  if (problemCount) return `Fix ${problemCount} problem${problemCount === 1 ? "" : "s"} first (see Problems)`;
  if (status === "pending" || status === "saving") return "Waiting for the draft to save";
  if (status === "error") return "The draft is not saved: retry saving first";
  if (status === "conflict") return "The draft changed elsewhere: choose which version to keep first";
  return null;
}

/** Why Publish has nothing to do: the draft runs as the live version does. */
export const nothingToPublish = (unchangedSince: number | null) =>
  unchangedSince === null ? null : `Nothing to publish: the draft is the same as v${unchangedSince}, the live version`;

/**
 * The editor's top bar: where you are, whether it is saved, and what you can do. A button that
 * cannot be used says why (tooltip on hover and focus, and its description).
 */
export function EditorToolbar(p: Props) {
  const rename = useRenameWorkflow(p.workflowId);
  const [name, setName] = useState(p.name);
  const blocked = blockedBecause(p.problemCount, p.save.status);

  return (
    <div className="flex h-12 shrink-0 items-center gap-3 border-b border-slate-200 bg-white px-4">
      <Link href="/workflows" className="text-sm text-slate-500 hover:text-slate-900" aria-label="Back to workflows">
        ← Workflows
      </Link>
      <input
        aria-label="Workflow name"
        value={name}
        disabled={p.readOnly}
        onChange={(e) => setName(e.target.value)}
        onBlur={() => name.trim() && name !== p.name && rename.mutate(name.trim())}
        onKeyDown={(e) => e.key === "Enter" && e.currentTarget.blur()}
        className="w-72 rounded px-1.5 py-1 text-sm font-semibold text-slate-900 hover:ring-1 hover:ring-slate-200 focus:ring-2 focus:ring-brand-500 focus:outline-none"
      />
      {rename.error && <span className="text-xs text-red-600">{rename.error.message}</span>}
      <SaveStatusBadge {...p.save} onRetry={p.save.retry} />
      <div className="ml-auto flex items-center gap-1.5">
        <Button
          variant="ghost"
          onClick={p.onUndo}
          disabledReason={p.readOnly ? READ_ONLY : p.canUndo ? null : "Nothing to undo"}
          title="Undo (Ctrl+Z)"
          aria-label="Undo"
        >
          ↶
        </Button>
        <Button
          variant="ghost"
          onClick={p.onRedo}
          disabledReason={p.readOnly ? READ_ONLY : p.canRedo ? null : "Nothing to redo"}
          title="Redo (Ctrl+Shift+Z)"
          aria-label="Redo"
        >
          ↷
        </Button>
        <Button
          variant="ghost"
          onClick={p.onLayout}
          disabledReason={p.readOnly ? READ_ONLY : null}
          title="Arrange the steps left to right"
        >
          Auto-layout
        </Button>
        <Button
          variant="ghost"
          onClick={p.onToggleStats}
          aria-pressed={p.showStats}
          className={p.showStats ? "bg-brand-50 text-brand-700" : ""}
          title="Show each step's median time and cost over recent runs"
        >
          Stats
        </Button>
        <Link
          href={`/workflows/${p.workflowId}/tests`}
          title="Test cases and evaluations of this workflow"
          className="inline-flex items-center rounded-md px-3.5 py-2 text-sm font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
        >
          Tests
        </Link>
        <Button variant="ghost" onClick={p.onExport} title="Download this workflow as JSON">
          Export
        </Button>
        {!p.readOnly && (
          <Button variant="secondary" onClick={p.onRun} disabledReason={blocked} title="Test-run the draft">
            ▶ Run
          </Button>
        )}
        {!p.readOnly && (
          <Button
            onClick={p.onPublish}
            disabledReason={blocked ?? nothingToPublish(p.unchangedSince)}
            reasonSide="left"
            title="Publish the saved draft as the next version"
          >
            Publish
          </Button>
        )}
      </div>
    </div>
  );
}
