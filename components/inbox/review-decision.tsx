"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ApiError } from "@/lib/queries/api-client";
import { useDecideReview } from "@/lib/queries/runs";
import type { ReviewDetail } from "@/lib/review/reviews";
import { ContentView, Markdown } from "./content-view";
import { JsonForm, jsonObject } from "./json-form";
import { ReviewAssignment } from "./review-assignment";
import { ReviewComments } from "./review-comments";
import { ReviewHeader } from "./review-header";
import { RunSoFar } from "./run-so-far";

const show = (v: unknown) =>
  v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v, null, 2);

/** Whether a keyboard event came from a place where typing letters means typing. */
const typing = (e: KeyboardEvent) => {
  const el = e.target as HTMLElement | null;
  return !!el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
};

/**
 * One review: what to check (markdown), the content shown readably (JSON as a tree, markdown,
 * text) and editable when allowed, who asked, the deadline, who has it, the comments, the run so
 * far, and the decision, with shortcuts: A approve, R reject (after a reason), N next.
 */
export function ReviewDecisionView({ review }: { review: ReviewDetail }) {
  const router = useRouter();
  const decide = useDecideReview();
  const { request } = review;
  const original = show(request.content);
  const [content, setContent] = useState(original);
  const [editing, setEditing] = useState(false);
  const [reason, setReason] = useState("");
  const [hint, setHint] = useState<string | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const edited = content !== original;
  const pending = review.status === "PENDING";
  const canDecide = pending && review.mayDecide;
  const isJson = request.contentFormat === "json";
  const jsonError = isJson && edited ? jsonProblem(content) : null;
  const formValue = isJson ? jsonObject(content) : null;
  const [editAs, setEditAs] = useState<"form" | "json">("form");

  const submit = (outcome: string) => {
    if (decide.isPending) return;
    if (outcome === "rejected" && !reason.trim()) {
      setHint("Give a reason for rejecting first: the run's next steps and the person who started it see it.");
      reasonRef.current?.focus();
      return;
    }
    if (jsonError) {
      setHint(`Fix the edited content first: ${jsonError}`);
      return;
    }
    setHint(null);
    decide.mutate(
      { reviewId: review.id, outcome, comment: reason, ...(edited && { content }) },
      {
        onSuccess: () => {
          toast.success(decidedMessage(outcome, review.stepLabel, review.run.workflowName), {
            action: review.canOpenRun
              ? { label: "Open the run", onClick: () => router.push(`/runs/${review.run.id}`) }
              : undefined,
          });
          router.push("/inbox");
          router.refresh();
        },
      },
    );
  };

  // Shortcuts, while focus is not in a text field.
  const keys = useRef({ submit, next: review.nextId, canDecide });
  useEffect(() => {
    keys.current = { submit, next: review.nextId, canDecide };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey || typing(e)) return;
      const k = e.key.toLowerCase();
      if (k === "a" && keys.current.canDecide) {
        e.preventDefault();
        keys.current.submit("approved");
      } else if (k === "r" && keys.current.canDecide) {
        e.preventDefault();
        keys.current.submit("rejected");
      } else if ((k === "n" || k === "j") && keys.current.next) {
        e.preventDefault();
        router.push(`/inbox/${keys.current.next}`);
      } else if (k === "u") router.push("/inbox");
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [router]);

  return (
    <div className="space-y-6" data-testid="review">
      <ReviewHeader review={review} />

      <section className="rounded-xl bg-amber-50 p-4 ring-1 ring-amber-200">
        <h2 className="text-xs font-semibold tracking-wide text-amber-800 uppercase">What to check</h2>
        <div className="mt-1 text-amber-950">
          <Markdown text={request.instructions} testId="review-instructions" />
        </div>
      </section>

      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="space-y-6">
          <section className="space-y-2 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <div className="flex items-center justify-between gap-3">
              <h2 className="text-sm font-semibold">Content under review</h2>
              {request.editable && canDecide && (
                <button
                  type="button"
                  className="text-sm text-brand-700 hover:underline"
                  onClick={() => setEditing((e) => !e)}
                >
                  {editing ? "Preview" : request.contentFormat === "json" ? "Edit the JSON" : "Edit"}
                </button>
              )}
            </div>
            {editing ? (
              <>
                {isJson && (
                  <div className="flex gap-1 text-xs" role="tablist" aria-label="Edit as">
                    {(["form", "json"] as const).map((m) => (
                      <button
                        key={m}
                        type="button"
                        role="tab"
                        aria-selected={editAs === m}
                        disabled={m === "form" && !formValue}
                        onClick={() => setEditAs(m)}
                        className={`rounded-md px-2 py-1 font-medium ${editAs === m ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 disabled:text-slate-300"}`}
                      >
                        {m === "form" ? "Form" : "JSON"}
                      </button>
                    ))}
                  </div>
                )}
                {isJson && editAs === "form" && formValue ? (
                  <JsonForm value={formValue} onChange={setContent} />
                ) : (
                  <>
                    <label htmlFor="review-content" className="sr-only">
                      Content under review
                    </label>
                    <textarea
                      id="review-content"
                      rows={14}
                      value={content}
                      spellCheck={!isJson}
                      onChange={(e) => setContent(e.target.value)}
                      aria-invalid={!!jsonError}
                      className={`block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset focus:ring-2 ${isJson ? "font-mono" : ""} ${jsonError ? "ring-red-400 focus:ring-red-500" : "ring-slate-300 focus:ring-brand-500"}`}
                    />
                  </>
                )}
                {jsonError && (
                  <p className="text-sm text-red-700" data-testid="content-error">
                    Not valid JSON: {jsonError}
                  </p>
                )}
                {edited && (
                  <button
                    type="button"
                    className="text-xs text-slate-600 hover:underline"
                    onClick={() => setContent(original)}
                  >
                    Undo my edits
                  </button>
                )}
              </>
            ) : (
              <ContentView value={edited ? content : request.content} testId="review-content-view" />
            )}
            {edited && !editing && (
              <p className="text-xs text-amber-700">You edited this content; approving sends your version on.</p>
            )}
          </section>

          {canDecide ? (
            <section
              className="space-y-3 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200"
              aria-label="Decision"
            >
              <label htmlFor="review-comment" className="block text-sm font-semibold">
                Reason <span className="font-normal text-slate-500">(needed to reject; sent on with the decision)</span>
              </label>
              <textarea
                id="review-comment"
                ref={reasonRef}
                rows={2}
                value={reason}
                onChange={(e) => (setReason(e.target.value), setHint(null))}
                onKeyDown={(e) => {
                  if (e.key === "Escape") (e.currentTarget as HTMLTextAreaElement).blur();
                }}
                className="block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500"
              />
              {hint && <Alert>{hint}</Alert>}
              {decide.error && (
                <Alert>
                  {decide.error instanceof ApiError ? decide.error.message : "Could not record the decision."}
                </Alert>
              )}
              <div className="flex flex-wrap items-center gap-2">
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
                <span className="ml-auto text-xs text-slate-500" data-testid="shortcuts">
                  Keys: <kbd>A</kbd> approve · <kbd>R</kbd> reject · <kbd>N</kbd> next · <kbd>U</kbd> inbox
                </span>
              </div>
            </section>
          ) : (
            <Alert tone="info" testId="review-status">
              {pending
                ? `You may not decide this review: ${review.whyNot}`
                : `Decided: ${review.decision?.outcome ?? "—"}${review.decidedBy || review.decision?.reviewer ? ` by ${review.decidedBy ?? review.decision?.reviewer}` : ""}${review.decision?.comment ? ` (“${review.decision.comment}”)` : ""}.`}
            </Alert>
          )}

          <ReviewComments reviewId={review.id} comments={review.comments} />
        </div>

        <aside className="space-y-4">
          <ReviewAssignment review={review} />
          <RunSoFar review={review} />
        </aside>
      </div>
    </div>
  );
}

/** The confirmation after deciding: what was decided, on which step, in which workflow. */
function decidedMessage(outcome: string, step: string, workflow: string): string {
  const verb = { approved: "Approved", rejected: "Rejected" }[outcome] ?? `Decided “${outcome}” for`;
  return `${verb} “${step}” in ${workflow}`;
}

function jsonProblem(text: string): string | null {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v)
      ? null
      : 'it must be a JSON object, such as {"path": "notes.txt"}';
  } catch (error) {
    return (error as Error).message;
  }
}
