"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { EditorAction } from "@/lib/canvas/editor-state";
import { api } from "@/lib/queries/api-client";
import { fetchWorkflow } from "@/lib/queries/workflow-editor";
import type { WorkflowDetail, WorkflowGraph } from "@/lib/schemas/workflow";

/**
 * The three ways out of a save conflict (the draft changed elsewhere): load theirs, keep this
 * page's version (saved over theirs), or keep this page's version as a copy.
 */
export function useConflictResolution(
  workflow: Pick<WorkflowDetail, "id" | "name" | "description">,
  graph: WorkflowGraph,
  dispatch: (action: EditorAction) => void,
  save: { reset: (graph: WorkflowGraph, revision: number) => void },
) {
  const router = useRouter();
  const [resolving, setResolving] = useState(false);
  return {
    resolving,
    reloadTheirs: async () => {
      setResolving(true);
      const fresh = await fetchWorkflow(workflow.id);
      dispatch({ type: "load", graph: fresh.graph });
      save.reset(fresh.graph, fresh.revision);
      setResolving(false);
    },
    /** Saves this page's graph over the version saved elsewhere (the person chose to). */
    keepMine: async () => {
      setResolving(true);
      const fresh = await fetchWorkflow(workflow.id);
      save.reset(fresh.graph, fresh.revision);
      setResolving(false);
    },
    keepCopy: async () => {
      setResolving(true);
      const copy = await api<{ id: string }>("/api/workflows", {
        body: { name: `${workflow.name} (my copy)`.slice(0, 120), description: workflow.description, graph },
      });
      router.push(`/workflows/${copy.id}`);
    },
  };
}
