"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { api, ApiError } from "@/lib/queries/api-client";

export interface InboxItem {
  id: string;
  runId: string;
  workflowName: string;
  stepLabel: string;
  instructions: string;
  createdAt: string;
}

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** Pending reviews, with selection to approve or reject many at once (each decided exactly once). */
export function InboxList({ items: all }: { items: InboxItem[] }) {
  const router = useRouter();
  const [workflow, setWorkflow] = useState("");
  const [age, setAge] = useState(0);
  const [newestFirst, setNewestFirst] = useState(false);
  const workflows = [...new Set(all.map((i) => i.workflowName))].sort();
  // eslint-disable-next-line react-hooks/purity -- the age filter is relative to now, at each render
  const now = Date.now();
  const items = all
    .filter((i) => (!workflow || i.workflowName === workflow) && (!age || now - new Date(i.createdAt).getTime() >= age))
    .sort((a, b) => (newestFirst ? -1 : 1) * (new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime()));
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState<"approved" | "rejected" | null>(null);
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const live = new Set(items.map((i) => i.id));
  const chosen = [...selected].filter((id) => live.has(id));
  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? new Set(s).add(id) : new Set([...s].filter((x) => x !== id))));

  async function decide(outcome: "approved" | "rejected") {
    setBusy(outcome);
    setMessage(null);
    try {
      const r = await api<{ decided: number; results: { id: string; ok: boolean; message?: string }[] }>("/api/reviews/bulk", { body: { ids: chosen, outcome, comment: reason } });
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

  return (
    <div className="space-y-3">
      {all.length > 0 && (
        <div className="flex flex-wrap gap-2 text-sm" data-testid="inbox-filters">
          <select aria-label="Workflow" className="rounded-md bg-white px-2 py-1.5 ring-1 ring-slate-300" value={workflow} onChange={(e) => setWorkflow(e.target.value)}>
            <option value="">Every workflow</option>
            {workflows.map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
          <select aria-label="Waiting for" className="rounded-md bg-white px-2 py-1.5 ring-1 ring-slate-300" value={age} onChange={(e) => setAge(Number(e.target.value))}>
            <option value={0}>Waiting any time</option>
            <option value={3_600_000}>Waiting over an hour</option>
            <option value={86_400_000}>Waiting over a day</option>
          </select>
          <select aria-label="Order" className="rounded-md bg-white px-2 py-1.5 ring-1 ring-slate-300" value={newestFirst ? "new" : "old"} onChange={(e) => setNewestFirst(e.target.value === "new")}>
            <option value="old">Oldest first</option>
            <option value="new">Newest first</option>
          </select>
          {items.length !== all.length && <span className="self-center text-slate-500">{items.length} of {all.length} shown</span>}
        </div>
      )}
      {items.length > 0 && (
        <div className="flex flex-wrap items-center gap-3 rounded-xl bg-white px-4 py-2.5 text-sm shadow-sm ring-1 ring-slate-200" data-testid="bulk-bar">
          <label className="flex items-center gap-2">
            <input type="checkbox" aria-label="Select all" checked={chosen.length === items.length} onChange={(e) => setSelected(e.target.checked ? new Set(items.map((i) => i.id)) : new Set())} />
            {chosen.length ? `${chosen.length} selected` : "Select all"}
          </label>
          {chosen.length > 0 && (
            <>
              <Button busy={busy === "approved"} disabled={!!busy} onClick={() => decide("approved")}>
                Approve {chosen.length}
              </Button>
              <input className="min-w-48 flex-1 rounded-md px-2.5 py-1.5 ring-1 ring-slate-300" placeholder="Reason (needed to reject)" aria-label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} />
              <Button variant="danger" busy={busy === "rejected"} disabled={!!busy || !reason.trim()} onClick={() => decide("rejected")}>
                Reject {chosen.length}
              </Button>
            </>
          )}
        </div>
      )}
      {message && <Alert tone={message.tone} testId="bulk-result">{message.text}</Alert>}
      <ul className="divide-y divide-slate-100 overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200" data-testid="inbox-list">
        {items.map((r) => (
          <li key={r.id} className="flex items-center gap-3 pl-4 hover:bg-slate-50">
            <input type="checkbox" aria-label={`Select ${r.stepLabel} of ${r.workflowName}`} checked={selected.has(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} />
            <Link href={`/inbox/${r.id}`} className="flex min-w-0 flex-1 items-center justify-between gap-4 py-3 pr-4" data-testid="inbox-item">
              <div className="min-w-0">
                <div className="font-medium text-slate-900">
                  {r.stepLabel} <span className="font-normal text-slate-500">· {r.workflowName}</span>
                </div>
                <div className="truncate text-sm text-slate-500">{r.instructions}</div>
              </div>
              <div className="shrink-0 text-xs text-slate-500">{when.format(new Date(r.createdAt))}</div>
            </Link>
          </li>
        ))}
        {items.length === 0 && (
          <li className="px-4 py-10 text-center text-sm text-slate-500">{all.length ? "No waiting review matches these filters." : "Nothing waits for you. New reviews appear here as soon as runs reach a review."}</li>
        )}
      </ul>
    </div>
  );
}
