"use client";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

/**
 * The draft was saved elsewhere since this page loaded it (the message says by whom: you in
 * another tab, or someone else): keep this page's version on top, reload the saved one, or keep
 * this page's as a new workflow. Nothing is overwritten without the person choosing it.
 */
export function ConflictDialog({
  message,
  busy,
  onKeepMine,
  onReload,
  onKeepCopy,
}: {
  message: string;
  busy: boolean;
  onKeepMine: () => void;
  onReload: () => void;
  onKeepCopy: () => void;
}) {
  return (
    <Dialog title="This workflow changed since this page loaded it" testId="conflict-dialog">
      <p className="text-sm text-slate-600">{message}</p>
      <p className="text-sm text-slate-600">Your changes are kept in this tab until you choose.</p>
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" disabled={busy} onClick={onReload}>
          Reload the saved version
        </Button>
        <Button variant="secondary" disabled={busy} onClick={onKeepCopy}>
          Keep mine as a copy
        </Button>
        <Button busy={busy} onClick={onKeepMine}>
          Keep this page&apos;s version
        </Button>
      </div>
    </Dialog>
  );
}
