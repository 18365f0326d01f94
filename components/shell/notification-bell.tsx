"use client";

import Link from "next/link";
import { Popover } from "radix-ui";
import { useEffect, useState } from "react";
import { ago } from "@/components/inbox/when";
import { api } from "@/lib/queries/api-client";
import { useLiveStatus } from "./live-status";

interface Item {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string;
  read: boolean;
  createdAt: string;
}

/**
 * The bell: unread notifications (live), and the latest ones in a panel (a Radix popover: Esc,
 * the bell or a click outside closes it, and focus goes back to the bell); opening one marks it read.
 */
export function NotificationBell() {
  const { unread, setUnread } = useLiveStatus();
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Item[] | null>(null);

  useEffect(() => {
    if (!open) return;
    let stale = false;
    void api<{ items: Item[] }>("/api/notifications").then((r) => !stale && setItems(r.items));
    return () => {
      stale = true;
    };
  }, [open, unread]);

  const markRead = (ids: string[] | "all") => {
    setItems((list) => list?.map((n) => (ids === "all" || ids.includes(n.id) ? { ...n, read: true } : n)) ?? null);
    void api<{ unread: number }>("/api/notifications/read", { body: { ids } }).then((r) => setUnread(r.unread));
  };

  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger
        aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}
        className="relative rounded-md p-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900"
      >
        <svg viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth={1.8} aria-hidden>
          <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 && (
          <span
            className="absolute -top-0.5 -right-0.5 inline-flex min-w-4 items-center justify-center rounded-full bg-red-600 px-1 text-[10px] font-semibold text-white"
            data-testid="unread-count"
          >
            {unread}
          </span>
        )}
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={8}
          aria-label="Notifications"
          className="z-50 w-96 overflow-hidden rounded-xl bg-white shadow-lg ring-1 ring-slate-200 focus:outline-none"
        >
          <div className="flex items-center justify-between border-b border-slate-100 px-4 py-2.5">
            <h2 className="text-sm font-semibold">Notifications</h2>
            {items?.some((n) => !n.read) && (
              <button type="button" className="text-xs text-brand-700 hover:underline" onClick={() => markRead("all")}>
                Mark all read
              </button>
            )}
          </div>
          <ul className="max-h-96 divide-y divide-slate-100 overflow-auto" data-testid="notifications">
            {items === null && <li className="px-4 py-6 text-center text-sm text-slate-500">Loading…</li>}
            {items?.length === 0 && (
              <li className="px-4 py-6 text-center text-sm text-slate-500">
                Nothing yet. You hear here when a review is handed to you, escalated to you, or your run&apos;s review
                is decided.
              </li>
            )}
            {items?.map((n) => (
              <li key={n.id}>
                <Link
                  href={n.link}
                  onClick={() => {
                    if (!n.read) markRead([n.id]);
                    setOpen(false);
                  }}
                  className={`block px-4 py-2.5 hover:bg-slate-50 ${n.read ? "" : "bg-brand-50/50"}`}
                >
                  <div className="flex items-start gap-2">
                    {!n.read && (
                      <span className="mt-1.5 size-2 shrink-0 rounded-full bg-brand-600" aria-label="unread" />
                    )}
                    <div className="min-w-0">
                      <div className="text-sm font-medium text-slate-900">{n.title}</div>
                      {n.body && <div className="truncate text-xs text-slate-500">{n.body}</div>}
                      <div className="text-xs text-slate-500">{ago(n.createdAt)}</div>
                    </div>
                  </div>
                </Link>
              </li>
            ))}
          </ul>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
