"use client";

import Link from "next/link";
import { Button } from "@/components/ui/button";
import { useAddCaseFromRun } from "@/lib/queries/evaluations";
import type { RunView } from "@/lib/schemas/run";

/** "Add to test cases": this run's input, and its output as the expected one, become a test case of its workflow. */
export function AddToTestCases({ run }: { run: RunView }) {
  const add = useAddCaseFromRun();
  if (add.isSuccess)
    return (
      <span role="status" className="text-xs text-emerald-800">
        ✓ Added to the{" "}
        <Link href={`/workflows/${run.workflowId}/tests`} className="underline">
          test cases
        </Link>
      </span>
    );
  return (
    <span className="inline-flex items-center gap-2">
      <Button size="sm" variant="secondary" busy={add.isPending} onClick={() => add.mutate(run.id)}>
        Add to test cases
      </Button>
      {add.error && <span className="text-xs text-red-700">{add.error.message}</span>}
    </span>
  );
}
