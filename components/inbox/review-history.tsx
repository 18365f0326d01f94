import Link from "next/link";
import { WordDiff } from "@/components/ui/word-diff";
import type { DecidedReview } from "@/lib/review/reviews";
import { Moment } from "@/components/ui/moment-text";

/** Decided reviews: who decided, when, the outcome and reason, and what they edited. */
export function ReviewHistory({ items }: { items: DecidedReview[] }) {
  if (!items.length)
    return (
      <p className="rounded-xl bg-white px-4 py-10 text-center text-sm text-slate-500 shadow-sm ring-1 ring-slate-200">
        No decisions yet.
      </p>
    );
  return (
    <ul
      className="divide-y divide-slate-100 rounded-xl bg-white shadow-sm ring-1 ring-slate-200"
      data-testid="history-list"
    >
      {items.map((r) => (
        <li key={r.id} className="px-4 py-3 text-sm" data-testid="history-item">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <div>
              <Link href={`/inbox/${r.id}`} className="font-medium text-slate-900 hover:underline">
                {r.stepLabel}
              </Link>{" "}
              <span className="text-slate-500">· {r.workflowName}</span>
            </div>
            <div className="text-xs text-slate-500">
              <span
                className={`mr-2 rounded px-1.5 py-0.5 font-medium ${r.outcome === "approved" ? "bg-emerald-50 text-emerald-700" : r.outcome === "rejected" ? "bg-red-50 text-red-700" : "bg-slate-100 text-slate-700"}`}
              >
                {r.outcome}
              </span>
              by {r.decidedBy} · <Moment at={r.decidedAt} />
            </div>
          </div>
          {r.comment && <p className="mt-1 text-slate-700">“{r.comment}”</p>}
          {r.edit && (
            <div className="mt-2">
              <WordDiff before={r.edit.before} after={r.edit.after} testId="history-diff" />
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
