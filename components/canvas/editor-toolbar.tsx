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
  onRun: () => void;
  showStats: boolean;
  onToggleStats: () => void;
}

/** The editor's top bar: where you are, whether it is saved, and what you can do. */
export function EditorToolbar(p: Props) {
  const rename = useRenameWorkflow(p.workflowId);
  const [name, setName] = useState(p.name);
  const publishBlocked = p.problemCount > 0 || p.save.status !== "saved";

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
          disabled={!p.canUndo || p.readOnly}
          title="Undo (Ctrl+Z)"
          aria-label="Undo"
        >
          ↶
        </Button>
        <Button
          variant="ghost"
          onClick={p.onRedo}
          disabled={!p.canRedo || p.readOnly}
          title="Redo (Ctrl+Shift+Z)"
          aria-label="Redo"
        >
          ↷
        </Button>
        <Button variant="ghost" onClick={p.onLayout} disabled={p.readOnly} title="Arrange the steps left to right">
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
        <Button variant="ghost" onClick={p.onExport} title="Download this workflow as JSON">
          Export
        </Button>
        {!p.readOnly && (
          <Button
            variant="secondary"
            onClick={p.onRun}
            disabled={p.problemCount > 0 || p.save.status !== "saved"}
            title={p.problemCount ? "Fix the problems first" : "Test-run the draft"}
          >
            ▶ Run
          </Button>
        )}
        {!p.readOnly && (
          <Button
            onClick={p.onPublish}
            disabled={publishBlocked}
            title={
              p.problemCount
                ? `Fix ${p.problemCount} problem${p.problemCount === 1 ? "" : "s"} first`
                : p.save.status !== "saved"
                  ? "Waiting for the draft to save"
                  : undefined
            }
          >
            Publish
          </Button>
        )}
      </div>
    </div>
  );
}
