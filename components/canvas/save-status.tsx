"use client";

import type { SaveStatus } from "@/lib/canvas/use-autosave";

const text: Record<SaveStatus, string> = {
  saved: "All changes saved",
  pending: "Unsaved changes…",
  saving: "Saving…",
  error: "Not saved",
  conflict: "Conflict: not saved",
};

/** Where the draft stands, always visible; an error offers to try again. */
export function SaveStatusBadge({
  status,
  error,
  onRetry,
}: {
  status: SaveStatus;
  error: string | null;
  onRetry: () => void;
}) {
  const tone =
    status === "saved"
      ? "text-slate-500"
      : status === "error" || status === "conflict"
        ? "text-red-600"
        : "text-amber-600";
  return (
    <span
      className={`inline-flex items-center gap-2 text-xs ${tone}`}
      data-testid="save-status"
      data-status={status}
      role="status"
      title={error ?? undefined}
    >
      {(status === "saving" || status === "pending") && (
        <span className="size-2 animate-pulse rounded-full bg-current" aria-hidden />
      )}
      {text[status]}
      {status === "error" && (
        <button type="button" onClick={onRetry} className="font-medium underline">
          Retry
        </button>
      )}
    </span>
  );
}
