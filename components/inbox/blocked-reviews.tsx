import Link from "next/link";
import type { BlockedReview } from "@/lib/review/review-access";

/**
 * Reviews of runs this person started that wait for someone else: named, with the reason and
 * what to do, so an empty inbox never hides a run that is stuck on them.
 */
export function BlockedReviews({ reviews, admin }: { reviews: BlockedReview[]; admin: boolean }) {
  if (!reviews.length) return null;
  return (
    <section
      aria-labelledby="blocked-reviews"
      className="space-y-3 rounded-xl bg-amber-50 p-4 ring-1 ring-amber-200"
      data-testid="blocked-reviews"
    >
      <h2 id="blocked-reviews" className="text-sm font-semibold text-amber-950">
        Your runs waiting for someone else ({reviews.length})
      </h2>
      <ul className="space-y-2">
        {reviews.map((r) => (
          <li key={r.id} className="rounded-lg bg-white p-3 text-sm ring-1 ring-amber-200">
            <div className="font-medium text-slate-900">
              {r.stepLabel} <span className="font-normal text-slate-600">in {r.workflowName}</span>
            </div>
            <p className="mt-1 text-slate-700">{r.whyNot}</p>
            <div className="mt-2 flex flex-wrap gap-3 text-sm">
              <Link href={`/runs/${r.runId}`} className="font-medium text-brand-700 underline">
                Open the run
              </Link>
              {admin && (
                <Link href="/admin/members" className="font-medium text-brand-700 underline">
                  Invite a reviewer
                </Link>
              )}
              {admin && r.workflowId && (
                <Link href={`/workflows/${r.workflowId}`} className="font-medium text-brand-700 underline">
                  Open the workflow
                </Link>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
