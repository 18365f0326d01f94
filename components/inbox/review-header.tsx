"use client";

import Link from "next/link";
import type { ReviewDetail } from "@/lib/review/reviews";
import { RUN_STARTED_FROM } from "@/lib/schemas/run";
import { ago, relative, useNow } from "./when";
import { Moment } from "@/components/ui/moment-text";
import { moment } from "@/components/ui/moment";
import { useHydrated } from "@/components/ui/hydrated";

/** A review's heading: the step and workflow, who asked and when, the deadline and what happens then, the next review. */
export function ReviewHeader({ review }: { review: ReviewDetail }) {
  const now = useNow();
  const hydrated = useHydrated();
  const pending = review.status === "PENDING";
  const overdue = review.dueAt && new Date(review.dueAt).getTime() < now;
  return (
    <div className="flex flex-wrap items-end justify-between gap-4">
      <div>
        <Link href="/inbox" className="text-sm text-brand-600 hover:underline">
          ← Inbox
        </Link>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">
          {review.stepLabel} <span className="font-normal text-slate-500">· {review.run.workflowName}</span>
        </h1>
        <p className="text-sm text-slate-600" data-testid="review-meta" suppressHydrationWarning>
          {RUN_STARTED_FROM[review.run.trigger]
            ? `A run from ${RUN_STARTED_FROM[review.run.trigger]}${review.requestedBy ? ` (run as ${review.requestedBy})` : ""}`
            : review.requestedBy
              ? `${review.requestedBy}'s run`
              : "A run"}{" "}
          asked {ago(review.createdAt, now)}
          {hydrated && (
            <>
              {" "}
              (<Moment at={review.createdAt} />)
            </>
          )}
          {review.canOpenRun && (
            <>
              {" · "}
              <Link className="text-brand-700 underline" href={`/runs/${review.run.id}`}>
                open the run
              </Link>
            </>
          )}
        </p>
      </div>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        {review.escalated && (
          <span className="rounded-full bg-orange-100 px-2.5 py-1 font-medium text-orange-800">Escalated</span>
        )}
        {review.dueAt && pending && (
          <span
            className={`rounded-full px-2.5 py-1 font-medium ${overdue ? "bg-red-100 text-red-800" : "bg-slate-100 text-slate-700"}`}
            data-testid="review-deadline"
            title={hydrated ? moment(review.dueAt) : undefined}
            suppressHydrationWarning
          >
            {overdue ? "Overdue" : `Due ${relative(review.dueAt, now)}`} · then{" "}
            {review.onExpiry === "escalate"
              ? `escalates to ${review.escalateToRole?.toLowerCase()}s`
              : review.onExpiry === "approve"
                ? "approved automatically"
                : "rejected automatically"}
          </span>
        )}
        {review.nextId && (
          <Link
            href={`/inbox/${review.nextId}`}
            className="rounded-md bg-white px-3 py-1.5 font-medium ring-1 ring-slate-300 hover:bg-slate-50"
          >
            Next review →
          </Link>
        )}
      </div>
    </div>
  );
}
