"use client";

import { useEffect, useLayoutEffect, useRef, useState } from "react";
import type { EditorAction } from "@/lib/canvas/editor-state";
import { savedOnLeaving } from "@/lib/canvas/use-autosave";
import { fetchWorkflow } from "@/lib/queries/workflow-editor";
import type { WorkflowDetail, WorkflowGraph } from "@/lib/schemas/workflow";

/**
 * Back (or Forward) can show the editor as it was: from the back-forward cache, or from the
 * router's cache of the server page. Re-reads the workflow on mount and on such a show, and
 * shows the newer draft unless this page holds unsaved edits (their save then meets the
 * conflict, which says whose it is). Returns the workflow's current name.
 */
export function useFreshDraft(
  workflow: Pick<WorkflowDetail, "id" | "name">,
  save: { status: string; revision: number; reset: (graph: WorkflowGraph, revision: number) => void },
  dispatch: (action: EditorAction) => void,
): string {
  const [name, setName] = useState(workflow.name);
  const latestSave = useRef(save);
  useLayoutEffect(() => {
    latestSave.current = save;
  });
  useEffect(() => {
    let gone = false;
    const reread = async () => {
      // Opened again while the edits made before leaving it are still being saved: after them.
      await savedOnLeaving(workflow.id);
      const fresh = await fetchWorkflow(workflow.id).catch(() => null);
      const current = latestSave.current;
      if (!fresh || gone || current.status !== "saved") return;
      if (fresh.revision > current.revision) {
        dispatch({ type: "load", graph: fresh.graph });
        current.reset(fresh.graph, fresh.revision);
      }
      setName(fresh.name);
    };
    void reread();
    const onShow = (e: PageTransitionEvent) => void (e.persisted && reread());
    window.addEventListener("pageshow", onShow);
    return () => {
      gone = true;
      window.removeEventListener("pageshow", onShow);
    };
  }, [workflow.id, dispatch]);
  return name;
}
