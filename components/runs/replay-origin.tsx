"use client";

import Link from "next/link";
import { WordDiff } from "@/components/ui/word-diff";
import { useRun } from "@/lib/queries/runs";
import { isEnded, type RunView } from "@/lib/schemas/run";
import { Moment } from "@/components/ui/moment-text";

/** A value as text to compare: text as it is, anything else as JSON (an agent's token counts left out: they always differ). */
function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && !Array.isArray(value) && "usage" in value) {
    const { usage: _counts, ...rest } = value as Record<string, unknown>;
    return JSON.stringify(rest, null, 2);
  }
  return JSON.stringify(value ?? null, null, 2);
}

/**
 * On a replay's page: the run it replays (a link) and the step it replays from; once it ended,
 * its result and each step it ran again, word by word against the original.
 */
export function ReplayOrigin({ run }: { run: RunView & { replayOf: NonNullable<RunView["replayOf"]> } }) {
  const origin = useRun(run.replayOf.runId).data;
  const from = run.labels[run.replayOf.fromNodeId] ?? run.replayOf.fromNodeId;
  const doneIn = (r: RunView, nodeId: string) => r.steps.find((s) => s.nodeId === nodeId && s.status === "done");
  const rerun = origin
    ? run.steps.filter((s) => s.status === "done" && !s.copied && doneIn(origin, s.nodeId)).map((s) => s.nodeId)
    : [];
  const resultOf = (r: RunView) => r.error ?? textOf(r.output);
  return (
    <section
      aria-labelledby="replay-origin"
      className="space-y-3 rounded-xl bg-violet-50/60 p-4 ring-1 ring-violet-200"
      data-testid="replay-origin"
    >
      <h2 id="replay-origin" className="text-sm font-semibold text-slate-900">
        Replay of{" "}
        <Link href={`/runs/${run.replayOf.runId}`} className="text-brand-700 underline">
          {origin ? (
            <>
              the run of <Moment at={origin.createdAt} />
            </>
          ) : (
            "an earlier run"
          )}
        </Link>{" "}
        from “{from}”
      </h2>
      <p className="text-sm text-slate-600">The steps before “{from}” were copied from that run, not run again.</p>
      {origin && isEnded(run.status) && (
        <div className="space-y-3">
          <h3 className="text-xs font-semibold tracking-wide text-slate-600 uppercase">Compared with the original</h3>
          <ul className="space-y-3 text-sm" aria-label="Changes from the original">
            {[
              { key: "result", label: "Result", before: resultOf(origin), after: resultOf(run) },
              ...rerun.map((id) => ({
                key: id,
                label: run.labels[id] ?? id,
                before: textOf(doneIn(origin, id)!.output),
                after: textOf(doneIn(run, id)!.output),
              })),
            ].map((c) => (
              <li key={c.key} className="space-y-1">
                <div className="font-medium text-slate-800">
                  {c.label}
                  {c.before === c.after && <span className="font-normal text-slate-600"> · same as the original</span>}
                </div>
                {c.before !== c.after && <WordDiff before={c.before} after={c.after} testId={`replay-diff-${c.key}`} />}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
