"use client";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

/** Someone else saved first: reload theirs, or keep ours as a new workflow. Nothing is overwritten. */
export function ConflictDialog({
  message,
  busy,
  onReload,
  onKeepCopy,
}: {
  message: string;
  busy: boolean;
  onReload: () => void;
  onKeepCopy: () => void;
}) {
  return (
    <Dialog title="Someone else changed this workflow" testId="conflict-dialog">
      <p className="text-sm text-slate-600">{message}</p>
      <p className="text-sm text-slate-600">Your changes are kept in this tab until you choose.</p>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" disabled={busy} onClick={onReload}>
          Reload their version
        </Button>
        <Button busy={busy} onClick={onKeepCopy}>
          Keep mine as a copy
        </Button>
      </div>
    </Dialog>
  );
}
