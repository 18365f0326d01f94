"use client";

import { useMemo } from "react";
import { diffGraphs, noDifference } from "@/lib/canvas/diff-graphs";
import { useWorkflowVersion } from "@/lib/queries/workflow-editor";
import type { WorkflowGraph } from "@/lib/schemas/workflow";

/**
 * The draft against published versions: how it differs from the one being compared (null when
 * none is), and the live version (the newest; null before the first) with, when the draft runs
 * as it does (`noDifference`: moving steps is no change), its number: nothing to publish then.
 */
export function useDraftAgainstVersions(
  workflowId: string,
  versions: { live: number | null; comparing: number | null },
  draft: WorkflowGraph,
) {
  const compared = useWorkflowVersion(workflowId, versions.comparing);
  const live = useWorkflowVersion(workflowId, versions.live);
  const diff = useMemo(() => (compared.data ? diffGraphs(compared.data.graph, draft) : null), [compared.data, draft]);
  const unchangedSince = useMemo(
    () => (live.data && noDifference(diffGraphs(live.data.graph, draft)) ? live.data.version : null),
    [live.data, draft],
  );
  return { diff, liveVersion: versions.live, unchangedSince };
}
