"use client";

import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/field";
import { ApiError } from "@/lib/queries/api-client";
import { usePin, usePins, useUnpin } from "@/lib/queries/pins";
import { Moment } from "@/components/ui/moment-text";

/**
 * A step's pinned output, in the inspector: test runs of the draft use it instead of running
 * the step (and leave out the steps before it that only lead here); published runs never do.
 * Pin the last run's output, or type one; edit or unpin it.
 */
export function PinOutput({
  workflowId,
  nodeId,
  label,
  readOnly,
}: {
  workflowId: string;
  nodeId: string;
  label: string;
  readOnly: boolean;
}) {
  const pins = usePins(workflowId);
  const pin = usePin(workflowId);
  const unpin = useUnpin(workflowId);
  const [typing, setTyping] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const current = pins.data?.[nodeId];
  const error = pin.error ?? unpin.error;
  const serverField = error instanceof ApiError ? error.field("output") : undefined;

  const save = () => {
    let output: unknown;
    try {
      output = JSON.parse(typing ?? "");
    } catch {
      return setProblem("Not valid JSON: check the quotes, commas and brackets.");
    }
    setProblem(null);
    pin.mutate({ nodeId, output: output as object | null }, { onSuccess: () => setTyping(null) });
  };

  return (
    <section aria-labelledby="pin-output-title" className="space-y-2 border-t border-slate-200 pt-4 text-xs">
      <h3 id="pin-output-title" className="font-semibold tracking-wide text-slate-500 uppercase">
        Pinned output
      </h3>
      {current ? (
        <>
          <p className="text-slate-600">
            Test runs use this output instead of running “{label}”, and leave out the steps before it that only lead
            here. Published runs always run it.
          </p>
          <pre
            className="max-h-40 overflow-auto rounded-md bg-slate-50 p-2 font-mono whitespace-pre-wrap ring-1 ring-slate-200"
            aria-label={`Pinned output of ${label}`}
          >
            {JSON.stringify(current.output, null, 2)}
          </pre>
          <p className="text-slate-500">
            Pinned {current.pinnedByName ? `by ${current.pinnedByName} ` : ""}on <Moment at={current.pinnedAt} />
            {current.fromRunId && (
              <>
                {" "}
                from{" "}
                <Link href={`/runs/${current.fromRunId}`} className="text-brand-700 underline">
                  a run
                </Link>
              </>
            )}
            .
          </p>
        </>
      ) : (
        <p className="text-slate-600">
          Pin an output so test runs do not run “{label}” again, nor the steps before it that only lead here;
          evaluations answer with it when a case’s source run did not get here. Published runs always run it.
        </p>
      )}
      {typing !== null ? (
        <form
          noValidate
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <TextAreaField
            label="Output to pin (JSON)"
            rows={6}
            value={typing}
            onChange={(e) => setTyping(e.target.value)}
            error={problem ?? serverField}
          />
          <div className="flex gap-2">
            <Button type="submit" size="sm" busy={pin.isPending}>
              Pin
            </Button>
            <Button type="button" size="sm" variant="secondary" onClick={() => setTyping(null)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        !readOnly && (
          <div className="flex flex-wrap gap-2">
            {current ? (
              <>
                <Button
                  size="sm"
                  variant="secondary"
                  onClick={() => setTyping(JSON.stringify(current.output, null, 2))}
                >
                  Edit the pin
                </Button>
                <Button size="sm" variant="secondary" busy={unpin.isPending} onClick={() => unpin.mutate(nodeId)}>
                  Unpin
                </Button>
              </>
            ) : (
              <>
                <Button
                  size="sm"
                  variant="secondary"
                  busy={pin.isPending}
                  onClick={() => pin.mutate({ nodeId, fromLastRun: true })}
                >
                  Pin the last run’s output
                </Button>
                <Button size="sm" variant="secondary" onClick={() => setTyping('{\n  "text": ""\n}')}>
                  Type an output
                </Button>
              </>
            )}
          </div>
        )
      )}
      {error && !serverField && <Alert>{error.message}</Alert>}
    </section>
  );
}
