"use client";

import { useLiveStatus } from "@/components/shell/live-status";

/** The live count of reviews waiting for this person, beside "Inbox" in the navigation. */
export function InboxCount() {
  const { inbox } = useLiveStatus();
  if (!inbox) return null;
  return (
    <span
      className="ml-1.5 inline-flex min-w-5 items-center justify-center rounded-full bg-brand-600 px-1.5 text-xs font-semibold text-white"
      data-testid="inbox-count"
      aria-label={`${inbox} waiting`}
    >
      {inbox}
    </span>
  );
}
