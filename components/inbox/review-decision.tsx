"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ApiError } from "@/lib/queries/api-client";
import { useDecideReview } from "@/lib/queries/runs";
import type { ReviewDetail } from "@/lib/review/reviews";

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v, null, 2));

/** One review: what to check, the content (editable when allowed), the run so far, and the decision. */
export function ReviewDecisionView({ review }: { review: ReviewDetail }) {
  const router = useRouter();
  const decide = useDecideReview();
  const { request } = review;
  const [content, setContent] = useState(show(request.content ?? ""));
  const [comment, setComment] = useState("");
  const edited = content !== show(request.content ?? "");
  const pending = review.status === "PENDING";

  const submit = (outcome: string) =>
    decide.mutate(
      { reviewId: review.id, outcome, comment, ...(edited && { content }) },
      { onSuccess: () => (router.push("/inbox"), router.refresh()) },
    );

  return (
    <div className="space-y-6" data-testid="review">
      <div>
        <Link href="/inbox" className="text-sm text-brand-600 hover:underline">
          ← Inbox
        </Link>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">{review.run.workflowName}</h1>
        <p className="text-sm text-slate-600">
          Waiting since {new Date(review.createdAt).toLocaleString()}
          {review.canOpenRun && (
            <>
              {" · "}
              <Link className="text-brand-600 hover:underline" href={`/runs/${review.run.id}`}>
                open the run
              </Link>
            </>
          )}
        </p>
      </div>
      <section className="rounded-xl bg-amber-50 p-4 ring-1 ring-amber-200">
        <h2 className="text-xs font-semibold tracking-wide text-amber-800 uppercase">What to check</h2>
        <p className="mt-1 text-sm whitespace-pre-wrap text-amber-950">{request.instructions}</p>
      </section>
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <section className="space-y-3">
          <label htmlFor="review-content" className="block text-sm font-semibold">
            Content under review {request.editable && pending && <span className="font-normal text-slate-500">(you may edit it before approving)</span>}
          </label>
          <textarea
            id="review-content"
            rows={12}
            value={content}
            readOnly={!request.editable || !pending}
            onChange={(e) => setContent(e.target.value)}
            className="block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-slate-300 ring-inset read-only:bg-slate-50 focus:ring-2 focus:ring-brand-500"
          />
          {pending && review.mayDecide ? (
            <>
              <label htmlFor="review-comment" className="block text-sm font-semibold">
                Comment <span className="font-normal text-slate-500">(the reason, for a rejection)</span>
              </label>
              <input id="review-comment" value={comment} onChange={(e) => setComment(e.target.value)} className="block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500" />
              {decide.error && <Alert>{decide.error instanceof ApiError ? decide.error.message : "Could not record the decision."}</Alert>}
              <div className="flex flex-wrap gap-2">
                <Button busy={decide.isPending} onClick={() => submit("approved")}>
                  {edited ? "Approve with my edits" : "Approve"}
                </Button>
                <Button variant="danger" busy={decide.isPending} onClick={() => submit("rejected")}>
                  Reject
                </Button>
                {request.outcomes
                  .filter((o) => o !== "approved" && o !== "rejected")
                  .map((o) => (
                    <Button key={o} variant="secondary" busy={decide.isPending} onClick={() => submit(o)}>
                      {o}
                    </Button>
                  ))}
              </div>
            </>
          ) : (
            <Alert tone="info">{pending ? `You may not decide this review: ${review.whyNot}` : `Decided: ${review.decision?.outcome ?? "—"}.`}</Alert>
          )}
        </section>
        <aside className="space-y-3">
          <h2 className="text-sm font-semibold">The run so far</h2>
          <div className="rounded-md bg-white p-3 text-xs ring-1 ring-slate-200">
            <div className="font-medium text-slate-700">Input</div>
            <pre className="mt-1 font-sans whitespace-pre-wrap text-slate-600">{show(review.run.input)}</pre>
          </div>
          {review.run.steps.map((s) => (
            <div key={s.nodeId} className="rounded-md bg-white p-3 text-xs ring-1 ring-slate-200">
              <div className="font-medium text-slate-700">{s.label}</div>
              <pre className="mt-1 max-h-40 overflow-auto font-sans whitespace-pre-wrap text-slate-600">{show((s.output as { text?: unknown })?.text ?? s.output)}</pre>
            </div>
          ))}
        </aside>
      </div>
    </div>
  );
}
