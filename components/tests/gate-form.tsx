"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { useSaveSuite, useSuite } from "@/lib/queries/evaluations";

/** The publish gate: publishing needs an evaluation of the draft at this pass rate, and no regression. */
export function GateForm({ workflowId }: { workflowId: string }) {
  const suite = useSuite(workflowId);
  const save = useSaveSuite(workflowId);
  const gate = suite.data?.gate ?? null;
  const [on, setOn] = useState<boolean | null>(null);
  const [rate, setRate] = useState<string | null>(null);
  const checked = on ?? gate !== null;
  const value = rate ?? String(gate?.passRate ?? 90);
  return (
    <section aria-labelledby="gate-title" className="space-y-3">
      <h2 id="gate-title" className="text-lg font-semibold">
        Publish gate
      </h2>
      <form
        aria-label="Publish gate"
        noValidate
        className="space-y-3 rounded-xl bg-slate-50 p-4 ring-1 ring-slate-200"
        onSubmit={(e) => {
          e.preventDefault();
          if (suite.data)
            save.mutate(
              { ...suite.data, gate: checked ? { passRate: Number(value) } : null },
              { onSuccess: () => (setOn(null), setRate(null)) },
            );
        }}
      >
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" checked={checked} onChange={(e) => setOn(e.target.checked)} />
          Require an evaluation of the draft before publishing (no case that passed on the current version may fail)
        </label>
        {checked && (
          <div className="max-w-xs">
            <TextField
              label="Pass rate at least (%)"
              type="number"
              min={0}
              max={100}
              value={value}
              onChange={(e) => setRate(e.target.value)}
            />
          </div>
        )}
        <Button type="submit" busy={save.isPending} disabled={!suite.data}>
          Save gate
        </Button>
        {save.isSuccess && on === null && (
          <p role="status" className="text-sm text-emerald-800">
            {gate ? `Publishing now needs ${gate.passRate}% of the cases to pass.` : "Publishing needs no evaluation."}
          </p>
        )}
        {save.error && <Alert>{save.error.message}</Alert>}
      </form>
    </section>
  );
}
