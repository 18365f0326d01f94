"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { api, ApiError } from "@/lib/queries/api-client";
import type { ReviewDetail } from "@/lib/review/reviews";
import { ago } from "./when";

type Comment = ReviewDetail["comments"][number];

/** The conversation on a review: questions and notes before (or after) deciding. */
export function ReviewComments({ reviewId, comments: initial }: { reviewId: string; comments: Comment[] }) {
  const [comments, setComments] = useState(initial);
  const [body, setBody] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function post() {
    setBusy(true);
    setError(null);
    try {
      const c = await api<Comment>(`/api/reviews/${reviewId}/comments`, { body: { body } });
      setComments((cs) => [...cs, c]);
      setBody("");
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="space-y-3 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-label="Comments">
      <h2 className="text-sm font-semibold">
        Comments {comments.length > 0 && <span className="font-normal text-slate-500">({comments.length})</span>}
      </h2>
      {comments.length > 0 ? (
        <ol className="space-y-2" data-testid="comments">
          {comments.map((c) => (
            <li key={c.id} className={`rounded-md px-3 py-2 text-sm ${c.mine ? "bg-brand-50" : "bg-slate-50"}`}>
              <div className="text-xs text-slate-500">
                <span className="font-medium text-slate-700">{c.author}</span> ·{" "}
                <time dateTime={c.createdAt} suppressHydrationWarning>
                  {ago(c.createdAt)}
                </time>
              </div>
              <p className="whitespace-pre-wrap text-slate-800">{c.body}</p>
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-sm text-slate-500">No comments yet. Ask a question or leave a note for the next reviewer.</p>
      )}
      <form
        className="flex items-start gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (body.trim()) void post();
        }}
      >
        <label htmlFor="new-comment" className="sr-only">
          New comment
        </label>
        <textarea
          id="new-comment"
          rows={2}
          value={body}
          placeholder="Write a comment"
          onChange={(e) => setBody(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.metaKey || e.ctrlKey) && body.trim()) {
              e.preventDefault();
              void post();
            }
          }}
          className="block min-w-0 flex-1 rounded-md border-0 px-3 py-2 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500"
        />
        <Button type="submit" variant="secondary" busy={busy} disabled={!body.trim()}>
          Comment
        </Button>
      </form>
      {error && <Alert>{error}</Alert>}
    </section>
  );
}
