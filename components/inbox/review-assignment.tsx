"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { api, ApiError } from "@/lib/queries/api-client";
import type { ReviewDetail } from "@/lib/review/reviews";

/** Who decides this review, and claiming, releasing or handing it to a person or a role. */
export function ReviewAssignment({ review }: { review: ReviewDetail }) {
  const router = useRouter();
  const [target, setTarget] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pending = review.status === "PENDING";

  async function change(body: Record<string, string>, label: string) {
    setBusy(label);
    setError(null);
    try {
      await api(`/api/reviews/${review.id}/assignment`, { body });
      setTarget("");
      router.refresh();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section
      className="space-y-2 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200"
      aria-label="Assignment"
      data-testid="assignment"
    >
      <h2 className="text-sm font-semibold">Who decides</h2>
      <p className="text-sm text-slate-700" data-testid="assignee">
        {review.assignee
          ? review.assignedToMe
            ? "You have it."
            : `${review.assignee} has it.`
          : `Open to ${review.audience}.`}
      </p>
      {pending && review.mayAssign && (
        <>
          <div className="flex flex-wrap gap-2">
            {!review.assignedToMe && review.mayDecide && (!review.assignee || review.handTo.length > 0) && (
              <Button
                variant="secondary"
                busy={busy === "claim"}
                disabled={!!busy}
                onClick={() => change({ action: "claim" }, "claim")}
              >
                Claim
              </Button>
            )}
            {review.assignee && (
              <Button
                variant="secondary"
                busy={busy === "release"}
                disabled={!!busy}
                onClick={() => change({ action: "release" }, "release")}
              >
                Release to {review.audience}
              </Button>
            )}
          </div>
          <div className="flex gap-2">
            <label htmlFor="hand-to" className="sr-only">
              Hand to
            </label>
            <select
              id="hand-to"
              value={target}
              onChange={(e) => setTarget(e.target.value)}
              className="min-w-0 flex-1 rounded-md bg-white px-2 py-1.5 text-sm ring-1 ring-slate-300"
            >
              <option value="">Hand to…</option>
              <optgroup label="A person">
                {review.handTo.map((m) => (
                  <option key={m.id} value={`user:${m.id}`}>
                    {m.name} ({m.role.toLowerCase()})
                  </option>
                ))}
              </optgroup>
              <optgroup label="A role">
                <option value="role:REVIEWER">Every reviewer</option>
                <option value="role:ADMIN">Every admin</option>
              </optgroup>
            </select>
            <Button
              variant="secondary"
              busy={busy === "assign"}
              disabled={!target || !!busy}
              onClick={() => {
                const [kind, id] = target.split(":") as [string, string];
                void change(
                  kind === "user" ? { action: "assign", userId: id } : { action: "assign-role", role: id },
                  "assign",
                );
              }}
            >
              Hand over
            </Button>
          </div>
        </>
      )}
      {error && <Alert>{error}</Alert>}
    </section>
  );
}
