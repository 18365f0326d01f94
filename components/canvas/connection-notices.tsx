"use client";

import type { InsertNotice } from "@/lib/canvas/rewire-inserted-step";

/**
 * What the last connection changed in other steps (or left for the person to check), shown
 * right above the canvas, with Undo (the connection and the change are one history entry).
 */
export function ConnectionNotices({
  notices,
  onUndo,
  onDismiss,
}: {
  notices: InsertNotice[];
  onUndo: () => void;
  onDismiss: () => void;
}) {
  const warning = notices.some((n) => n.tone === "warning");
  return (
    <div
      role="status"
      aria-label="Connection changes"
      className={`flex items-start gap-3 border-b px-4 py-2 text-sm ${
        warning ? "border-amber-200 bg-amber-50 text-amber-900" : "border-brand-100 bg-brand-50 text-brand-700"
      }`}
    >
      <ul className="flex-1 space-y-0.5">
        {notices.map((n, i) => (
          <li key={i}>
            <span className="font-medium">{n.tone === "warning" ? "Check: " : "Rewired: "}</span>
            {n.message}
          </li>
        ))}
      </ul>
      <button type="button" className="font-medium underline" onClick={onUndo}>
        Undo
      </button>
      <button type="button" className="font-medium underline" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
