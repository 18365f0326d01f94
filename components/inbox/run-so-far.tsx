import Link from "next/link";
import type { ReviewDetail } from "@/lib/review/reviews";
import { ContentView } from "./content-view";
import { Moment } from "@/components/ui/moment-text";

/** Beside a review: the run's input and each finished step's output, linked to the run when the reviewer may open it. */
export function RunSoFar({ review }: { review: ReviewDetail }) {
  return (
    <section className="space-y-2">
      <h2 className="text-sm font-semibold">The run so far</h2>
      <div className="rounded-md bg-white p-3 text-xs ring-1 ring-slate-200">
        <div className="mb-1 font-medium text-slate-700">Input</div>
        <ContentView value={review.run.input} compact />
      </div>
      {review.run.steps.map((s) => (
        <div key={s.nodeId} className="rounded-md bg-white p-3 text-xs ring-1 ring-slate-200" data-testid="run-step">
          <div className="mb-1 flex items-center justify-between gap-2 font-medium text-slate-700">
            {review.canOpenRun ? (
              <Link
                className="text-brand-700 hover:underline"
                href={`/runs/${review.run.id}?step=${encodeURIComponent(s.nodeId)}`}
              >
                {s.label}
              </Link>
            ) : (
              <span>{s.label}</span>
            )}
            {s.endedAt && (
              <span className="font-normal text-slate-500">
                <Moment at={s.endedAt} seconds />
              </span>
            )}
          </div>
          <ContentView value={(s.output as { text?: unknown })?.text ?? s.output} compact />
        </div>
      ))}
    </section>
  );
}
