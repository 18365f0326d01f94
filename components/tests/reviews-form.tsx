"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { REVIEW_POLICY_LABELS, type ReviewPolicy, type Suite } from "@/lib/schemas/evaluations";
import { useSaveSuite, useSuite } from "@/lib/queries/evaluations";

/** A step of the draft that asks a person: its id, label and the outcomes it offers. */
export interface ReviewStep {
  id: string;
  label: string;
  outcomes: string[];
}

const POLICY = "";

/**
 * How evaluations decide reviews: no review is filed in an evaluation (nobody is asked, nothing
 * is sent); each is decided by the policy, or by the decision set for its step.
 */
export function ReviewsForm({ workflowId, steps }: { workflowId: string; steps: ReviewStep[] }) {
  const suite = useSuite(workflowId);
  const save = useSaveSuite(workflowId);
  const saved = suite.data?.reviews;
  const [asked, setAsked] = useState<Suite["reviews"] | null>(null);
  const reviews = asked ?? saved ?? { policy: "recorded" as const, decisions: {} };
  const set = (next: Partial<Suite["reviews"]>) => setAsked({ ...reviews, ...next });
  return (
    <section aria-labelledby="reviews-title" className="space-y-3">
      <h2 id="reviews-title" className="text-lg font-semibold">
        Reviews in evaluations
      </h2>
      <form
        aria-label="Reviews in evaluations"
        className="space-y-3 rounded-xl bg-slate-50 p-4 ring-1 ring-slate-200"
        onSubmit={(e) => {
          e.preventDefault();
          if (suite.data) save.mutate({ ...suite.data, reviews }, { onSuccess: () => setAsked(null) });
        }}
      >
        <p className="text-sm text-slate-600">
          An evaluation files no review and asks nobody: each review step is decided at once, as set here.
        </p>
        <div className="max-w-md">
          <SelectField
            label="Decide reviews"
            value={reviews.policy}
            onChange={(e) => set({ policy: e.target.value as ReviewPolicy })}
            options={Object.entries(REVIEW_POLICY_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </div>
        {steps.length > 0 && (
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-700">
              A decision for one step (wins over the above)
            </legend>
            <div className="grid gap-3 sm:grid-cols-2">
              {steps.map((step) => (
                <SelectField
                  key={step.id}
                  label={`“${step.label}”`}
                  value={reviews.decisions[step.id] ?? POLICY}
                  onChange={(e) => {
                    const { [step.id]: _was, ...others } = reviews.decisions;
                    set({ decisions: e.target.value === POLICY ? others : { ...others, [step.id]: e.target.value } });
                  }}
                  options={[
                    { value: POLICY, label: "As above" },
                    ...step.outcomes.map((o) => ({ value: o, label: `Always ${o}` })),
                  ]}
                />
              ))}
            </div>
          </fieldset>
        )}
        <Button type="submit" busy={save.isPending} disabled={!suite.data}>
          Save review settings
        </Button>
        {save.isSuccess && asked === null && (
          <p role="status" className="text-sm text-emerald-800">
            Saved: the next evaluation decides reviews this way.
          </p>
        )}
        {save.error && <Alert>{save.error.message}</Alert>}
      </form>
    </section>
  );
}
