"use client";

import { useRouter } from "next/navigation";
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";

interface LiveStatus {
  /** Pending reviews this person may decide (null: no inbox for this role, or not heard yet). */
  inbox: number | null;
  unread: number;
}

const Live = createContext<LiveStatus & { setUnread(n: number): void }>({
  inbox: null,
  unread: 0,
  setUnread: () => {},
});
export const useLiveStatus = () => useContext(Live);

/**
 * One stream per page for the navigation's live numbers: waiting reviews and unread
 * notifications. On the inbox list a change also reloads the list, so new items appear (and
 * decided ones go) without a reload.
 */
export function LiveStatusProvider({ children }: { children: React.ReactNode }) {
  const [status, setStatus] = useState<LiveStatus>({ inbox: null, unread: 0 });
  const router = useRouter();
  useEffect(() => {
    const source = new EventSource("/api/live");
    // Many changes at once (a bulk decision) reload the list once, shortly after the last.
    let reload: ReturnType<typeof setTimeout> | undefined;
    source.onmessage = (event) => {
      const data = JSON.parse(event.data) as LiveStatus & { changed: boolean };
      setStatus({ inbox: data.inbox, unread: data.unread });
      if (data.changed && window.location.pathname === "/inbox") {
        clearTimeout(reload);
        reload = setTimeout(() => router.refresh(), 250);
      }
    };
    return () => {
      clearTimeout(reload);
      source.close();
    };
  }, [router]);
  const setUnread = useCallback((unread: number) => setStatus((s) => ({ ...s, unread })), []);
  const value = useMemo(() => ({ ...status, setUnread }), [status, setUnread]);
  return <Live.Provider value={value}>{children}</Live.Provider>;
}
