"use client";

import { useConfirm } from "@/components/ui/confirm";
import { useCancelRun } from "@/lib/queries/runs";

/**
 * Cancelling a run, asked first (it cannot be undone): on the run's page and in the editor's
 * run panel alike. A failure is toasted (the mutation's default).
 */
export function useCancelRunAsked() {
  const cancel = useCancelRun();
  const confirm = useConfirm();
  return {
    pending: cancel.isPending,
    ask: async (runId: string) => {
      const yes = await confirm({
        title: "Cancel this run?",
        message:
          "Its steps under way stop, and a review it waits for leaves the inbox. You can retry it later from where it stopped.",
        action: "Cancel run",
        keep: "Keep running",
      });
      if (yes) cancel.mutate(runId);
    },
  };
}
