"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { api, ApiError } from "@/lib/queries/api-client";
import type { InboxPage } from "@/lib/review/reviews";
import type { InboxQuery } from "@/lib/schemas/review";
import { RUN_STARTED_FROM } from "@/lib/schemas/run";
import { InboxFilters } from "./inbox-filters";
import { ago, relative, useNow } from "./when";
import { moment } from "@/components/ui/moment";
import { useHydrated } from "@/components/ui/hydrated";

const defaults: InboxQuery = { assignee: "any", age: 0, due: "any", sort: "oldest", page: 1, pageSize: 50 };

/**
 * Pending reviews, filtered and sorted by the server from the URL (so a filtered inbox can be
 * bookmarked), with selection to approve or reject many at once, and keys: J/K move, X selects,
 * Enter opens.
 */
export function InboxList({ page, query }: { page: InboxPage; query: InboxQuery }) {
  const router = useRouter();
  // Titles in the reader's own zone: written once the page runs in the browser.
  const hydrated = useHydrated();
  const pathname = usePathname();
  const { items } = page;
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState<"approved" | "rejected" | null>(null);
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [cursor, setCursor] = useState(-1);
  const listRef = useRef<HTMLUListElement>(null);
  const live = new Set(items.map((i) => i.id));
  const chosen = [...selected].filter((id) => live.has(id));
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => (on ? new Set(s).add(id) : new Set([...s].filter((x) => x !== id))));

  const setFilter = (patch: Partial<InboxQuery>) => {
    const next = { ...query, page: 1, ...patch };
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(next))
      if (v !== undefined && v !== "" && v !== defaults[k as keyof InboxQuery]) params.set(k, String(v));
    const qs = params.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };

  async function decide(outcome: "approved" | "rejected") {
    setBusy(outcome);
    setMessage(null);
    try {
      const r = await api<{ decided: number; results: { id: string; ok: boolean; message?: string }[] }>(
        "/api/reviews/bulk",
        { body: { ids: chosen, outcome, comment: reason } },
      );
      const failed = r.results.filter((x) => !x.ok);
      setMessage(
        failed.length
          ? { tone: "error", text: `${r.decided} ${outcome}; ${failed.length} not: ${failed[0]!.message}` }
          : { tone: "success", text: `${r.decided} review${r.decided === 1 ? "" : "s"} ${outcome}.` },
      );
      setSelected(new Set());
      setReason("");
      router.refresh();
    } catch (error) {
      setMessage({ tone: "error", text: error instanceof ApiError ? error.message : String(error) });
    } finally {
      setBusy(null);
    }
  }

  // J/K move through the list, X selects, Enter opens (the focused link).
  const state = useRef({ items, cursor });
  useEffect(() => {
    state.current = { items, cursor };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (
        e.metaKey ||
        e.ctrlKey ||
        e.altKey ||
        (el && ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) && (el as HTMLInputElement).type !== "checkbox")
      )
        return;
      const { items: list, cursor: at } = state.current;
      if (!list.length) return;
      const k = e.key.toLowerCase();
      const focus = (i: number) => {
        setCursor(i);
        listRef.current?.querySelectorAll<HTMLAnchorElement>("[data-testid=inbox-item]")[i]?.focus();
      };
      if (k === "j") {
        e.preventDefault();
        focus(Math.min(list.length - 1, at + 1));
      } else if (k === "k") {
        e.preventDefault();
        focus(Math.max(0, at - 1));
      } else if (k === "x" && at >= 0) {
        e.preventDefault();
        const id = list[at]!.id;
        setSelected((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set(s).add(id)));
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const now = useNow();
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  return (
    <div className="space-y-3">
      {page.all > 0 && <InboxFilters page={page} query={query} setFilter={setFilter} />}
      {items.length > 0 && (
        <div
          className="flex flex-wrap items-center gap-3 rounded-xl bg-white px-4 py-2.5 text-sm shadow-sm ring-1 ring-slate-200"
          data-testid="bulk-bar"
        >
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              aria-label="Select all"
              checked={chosen.length === items.length}
              onChange={(e) => setSelected(e.target.checked ? new Set(items.map((i) => i.id)) : new Set())}
            />
            {chosen.length ? `${chosen.length} selected` : "Select all"}
          </label>
          {chosen.length > 0 && (
            <>
              <Button busy={busy === "approved"} disabled={!!busy} onClick={() => decide("approved")}>
                Approve {chosen.length}
              </Button>
              <input
                className="min-w-48 flex-1 rounded-md px-2.5 py-1.5 ring-1 ring-slate-300"
                placeholder="Reason (needed to reject)"
                aria-label="Reason"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
              <Button
                variant="danger"
                busy={busy === "rejected"}
                disabled={!!busy || !reason.trim()}
                onClick={() => decide("rejected")}
              >
                Reject {chosen.length}
              </Button>
            </>
          )}
        </div>
      )}
      {message && (
        <Alert tone={message.tone} testId="bulk-result">
          {message.text}
        </Alert>
      )}
      <ul
        ref={listRef}
        className="divide-y divide-slate-100 overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200"
        data-testid="inbox-list"
      >
        {items.map((r, i) => {
          const overdue = r.dueAt && new Date(r.dueAt).getTime() < now;
          return (
            <li
              key={r.id}
              className={`flex items-center gap-3 pl-4 hover:bg-slate-50 ${i === cursor ? "bg-brand-50/60" : ""}`}
            >
              <input
                type="checkbox"
                aria-label={`Select ${r.stepLabel} of ${r.workflowName}`}
                checked={selected.has(r.id)}
                onChange={(e) => toggle(r.id, e.target.checked)}
              />
              <Link
                href={`/inbox/${r.id}`}
                onFocus={() => setCursor(i)}
                className="flex min-w-0 flex-1 items-center justify-between gap-4 rounded-sm py-3 pr-4 focus:outline-none focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-600"
                data-testid="inbox-item"
              >
                <div className="min-w-0">
                  <div className="font-medium text-slate-900">
                    {r.stepLabel} <span className="font-normal text-slate-500">· {r.workflowName}</span>
                  </div>
                  <div className="truncate text-sm text-slate-500" title={r.instructions}>
                    {r.content ? `“${r.content}”` : r.instructions}
                  </div>
                </div>
                <div className="flex shrink-0 flex-wrap items-center justify-end gap-1.5 text-xs">
                  {RUN_STARTED_FROM[r.trigger] && (
                    <span className="rounded-full bg-slate-100 px-2 py-0.5 font-medium text-slate-700">
                      from {RUN_STARTED_FROM[r.trigger]}
                    </span>
                  )}
                  {r.escalated && (
                    <span className="rounded-full bg-orange-100 px-2 py-0.5 font-medium text-orange-800">
                      Escalated
                    </span>
                  )}
                  {r.assignee ? (
                    <span
                      className={`rounded-full px-2 py-0.5 font-medium ${r.assignedToMe ? "bg-brand-100 text-brand-700" : "bg-slate-100 text-slate-700"}`}
                      data-testid="item-assignee"
                    >
                      {r.assignedToMe ? "Yours" : r.assignee}
                    </span>
                  ) : (
                    <span className="text-slate-500">for {r.audience}</span>
                  )}
                  {r.dueAt && (
                    <span
                      className={`rounded-full px-2 py-0.5 font-medium ${overdue ? "bg-red-100 text-red-800" : "bg-amber-50 text-amber-800"}`}
                      title={hydrated ? moment(r.dueAt) : undefined}
                      suppressHydrationWarning
                    >
                      {overdue ? "Overdue" : `Due ${relative(r.dueAt, now)}`}
                    </span>
                  )}
                  <span
                    className="text-slate-500"
                    title={hydrated ? moment(r.createdAt) : undefined}
                    suppressHydrationWarning
                  >
                    {ago(r.createdAt, now)}
                  </span>
                </div>
              </Link>
            </li>
          );
        })}
        {items.length === 0 && (
          <li className="px-4 py-10 text-center text-sm text-slate-500">
            {page.all
              ? "No waiting review matches these filters."
              : "Nothing waits for you. New reviews appear here as soon as runs reach a review."}
          </li>
        )}
      </ul>
      {pages > 1 && (
        <nav className="flex items-center justify-between text-sm" aria-label="Pages">
          <Button variant="secondary" disabled={query.page <= 1} onClick={() => setFilter({ page: query.page - 1 })}>
            ← Previous
          </Button>
          <span className="text-slate-600">
            Page {query.page} of {pages}
          </span>
          <Button
            variant="secondary"
            disabled={query.page >= pages}
            onClick={() => setFilter({ page: query.page + 1 })}
          >
            Next →
          </Button>
        </nav>
      )}
    </div>
  );
}
