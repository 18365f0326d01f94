"use client";

import Link from "next/link";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { useEvaluations, useGate, useStartEvaluation } from "@/lib/queries/evaluations";
import type { GateView } from "@/lib/schemas/evaluations";

export type Gate = GateView & { canOverride: boolean };

/**
 * The evaluation gate in the publish dialog: whether the draft passed its evaluation, a button
 * that runs it (followed to its end), and, for an admin, a reason to publish anyway.
 */
export function PublishGate({
  workflowId,
  reason,
  onReason,
  onGate,
}: {
  workflowId: string;
  reason: string;
  onReason: (reason: string) => void;
  onGate: (gate: Gate | undefined) => void;
}) {
  const evaluations = useEvaluations(workflowId);
  // The newest evaluation of the draft (the list is newest first).
  const latest = evaluations.data?.find((e) => e.version === null);
  const running = latest?.status === "RUNNING" ? latest : undefined;
  const gate = useGate(workflowId, !!running);
  const start = useStartEvaluation(workflowId);
  const g = gate.data;
  useEffect(() => onGate(g), [g, onGate]);
  // An evaluation of the draft ended (or one started and ended between two reads of the list, as
  // a quick one does): read the gate again. Polling stops with it.
  const { refetch } = gate;
  const ended = latest && latest.status !== "RUNNING" ? latest.id : null;
  useEffect(() => {
    if (ended) void refetch();
  }, [ended, refetch]);
  if (!g?.required) return null;
  if (g.ok)
    return (
      <p role="status" className="rounded-md bg-emerald-50 p-2 text-sm text-emerald-900 ring-1 ring-emerald-200">
        ✓ The evaluation gate passed: the draft passed {g.evaluation!.rate}% of its cases ({g.evaluation!.passed} of{" "}
        {g.evaluation!.done}); the gate asks for {g.passRate}%.
      </p>
    );
  return (
    <div className="space-y-2 rounded-md bg-amber-50 p-3 text-sm text-amber-950 ring-1 ring-amber-200">
      <p>
        <span aria-hidden>✕ </span>
        <strong>The evaluation gate did not pass.</strong> {g.why}
      </p>
      {running ? (
        <p role="status">
          Evaluating the draft: {running.done} of {running.total} cases done…
        </p>
      ) : (
        <div className="flex flex-wrap items-center gap-3">
          <Button
            type="button"
            size="sm"
            variant="secondary"
            busy={start.isPending}
            onClick={() => start.mutate({ on: "draft", concurrency: 4 })}
          >
            Run the evaluation
          </Button>
          <Link href={`/workflows/${workflowId}/tests`} className="text-brand-700 underline">
            Open the tests
          </Link>
        </div>
      )}
      {start.error && <p className="text-red-800">{start.error.message}</p>}
      {g.canOverride ? (
        <div className="space-y-1">
          <label htmlFor="gate-reason" className="block text-xs font-medium">
            Publish anyway, because… (an admin may; it is audited)
          </label>
          <textarea
            id="gate-reason"
            rows={2}
            value={reason}
            maxLength={500}
            onChange={(e) => onReason(e.target.value)}
            className="block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500"
          />
        </div>
      ) : (
        <p>Only an admin may publish over the gate.</p>
      )}
    </div>
  );
}
