"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ApiError } from "@/lib/queries/api-client";
import { usePublish } from "@/lib/queries/workflow-editor";
import { nothingToPublish } from "./editor-toolbar";
import { PublishGate, type Gate } from "./publish-gate";
import { showPanel } from "./side-panel";

/**
 * Publish the saved draft as the next immutable version, with a note of what changed; a toast
 * confirms it, with a way to the versions.
 */
export function PublishDialog({
  workflowId,
  revision,
  nextVersion,
  unchangedSince,
  onClose,
}: {
  workflowId: string;
  revision: number;
  nextVersion: number;
  /** The live version, when the draft is no different from it. */
  unchangedSince: number | null;
  onClose: () => void;
}) {
  const publish = usePublish(workflowId);
  const [note, setNote] = useState("");
  const [reason, setReason] = useState("");
  const [gate, setGate] = useState<Gate | undefined>();
  // Over a gate that did not pass, only an admin's reason lets the draft through.
  const held = gate?.required && !gate.ok;
  const blocked =
    nothingToPublish(unchangedSince) ??
    (held
      ? gate.canOverride
        ? reason.trim().length < 3
          ? "Say why you publish anyway"
          : null
        : "The evaluation gate did not pass"
      : null);
  return (
    <Dialog title={`Publish version ${nextVersion}`} onClose={onClose} testId="publish-dialog">
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          publish.mutate(
            { note, revision, ...(held && { gateOverride: reason.trim() }) },
            {
              onSuccess: (published) => {
                onClose();
                toast.success(`Published version ${published.version}`, {
                  description: "Runs and sub-workflow callers use it from now on.",
                  action: { label: "Show versions", onClick: () => showPanel("versions") },
                });
              },
            },
          );
        }}
      >
        <p className="text-sm text-slate-600">
          Runs and sub-workflow callers use the published version; the draft stays editable.
        </p>
        <div className="space-y-1">
          <label htmlFor="publish-note" className="block text-xs font-medium text-slate-700">
            What changed?
          </label>
          <textarea
            id="publish-note"
            rows={3}
            value={note}
            maxLength={500}
            onChange={(e) => setNote(e.target.value)}
            className="block w-full rounded-md border-0 px-2.5 py-1.5 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500"
          />
        </div>
        <PublishGate workflowId={workflowId} reason={reason} onReason={setReason} onGate={setGate} />
        {publish.error && (
          <Alert>{publish.error instanceof ApiError ? publish.error.message : "Could not publish."}</Alert>
        )}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" busy={publish.isPending} disabledReason={blocked}>
            {held && gate?.canOverride ? "Publish anyway" : "Publish"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
