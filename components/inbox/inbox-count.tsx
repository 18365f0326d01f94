"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * The live count of reviews waiting for this person, for the navigation. On the inbox page a
 * change also reloads the list, so new items appear (and decided ones go) without a reload.
 */
export function InboxCount() {
  const [count, setCount] = useState<number | null>(null);
  const router = useRouter();
  const pathname = usePathname();
  useEffect(() => {
    const source = new EventSource("/api/reviews/live");
    source.onmessage = (event) => {
      const data = JSON.parse(event.data) as { count: number; changed: boolean };
      setCount(data.count);
      if (data.changed && window.location.pathname === "/inbox") router.refresh();
    };
    return () => source.close();
  }, [router, pathname]);
  if (!count) return null;
  return (
    <span className="ml-1.5 inline-flex min-w-5 items-center justify-center rounded-full bg-brand-600 px-1.5 text-xs font-semibold text-white" data-testid="inbox-count" aria-label={`${count} waiting`}>
      {count}
    </span>
  );
}
