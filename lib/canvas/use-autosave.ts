"use client";

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import { ApiError } from "../queries/api-client";
import { saveDraftRequest } from "../queries/workflow-editor";
import type { WorkflowGraph } from "../schemas/workflow";

export type SaveStatus = "saved" | "pending" | "saving" | "error" | "conflict";

const DEBOUNCE_MS = 700;

/** Saves made on leaving an editor, by workflow, until they land: an editor opened again meanwhile waits for them. */
const leaving = new Map<string, Promise<unknown>>();

/** The save made on leaving this workflow's editor, if one is still on its way. */
export const savedOnLeaving = (workflowId: string): Promise<unknown> | undefined => leaving.get(workflowId);

/**
 * Saves the draft a moment after the last change, one save at a time, with the revision the
 * editor last saw. A 409 stops autosaving and reports a conflict; any other failure reports an
 * error with a retry. Leaving the page with unsaved changes asks first; leaving the editor for
 * another page of the studio saves them on the way out.
 *
 * "saved" and "pending" are derived (does the graph equal the last saved one?), never stored,
 * so an edit that is undone back to the saved graph shows as saved again.
 */
export function useAutosave(workflowId: string, graph: WorkflowGraph, initialRevision: number, enabled: boolean) {
  const serialized = useMemo(() => JSON.stringify(graph), [graph]);
  const [activity, setActivity] = useState<"idle" | "saving" | "error" | "conflict">("idle");
  const [error, setError] = useState<string | null>(null);
  const [savedSnapshot, setSavedSnapshot] = useState(serialized);
  const [revision, setRevision] = useState(initialRevision);
  const latest = useRef({ serialized, graph, revision, savedSnapshot, enabled, activity });
  const inFlight = useRef<Promise<void> | null>(null);
  useLayoutEffect(() => {
    latest.current = { serialized, graph, revision, savedSnapshot, enabled, activity };
  });

  const save = useCallback((): Promise<void> => {
    const { serialized: sending, graph: body, revision: base, savedSnapshot: saved } = latest.current;
    if (inFlight.current) return inFlight.current;
    if (sending === saved) return Promise.resolve();
    setActivity("saving");
    inFlight.current = (async () => {
      try {
        const result = await saveDraftRequest(workflowId, body, base);
        // Known at once, before the next render: a save right after this one builds on it.
        latest.current = { ...latest.current, savedSnapshot: sending, revision: result.revision };
        setRevision(result.revision);
        setSavedSnapshot(sending);
        setError(null);
        setActivity("idle");
      } catch (e) {
        setActivity(e instanceof ApiError && e.status === 409 ? "conflict" : "error");
        setError(e instanceof ApiError ? e.message : "Could not reach the server.");
        throw e;
      } finally {
        inFlight.current = null;
      }
    })();
    return inFlight.current;
  }, [workflowId]);

  /**
   * Saves now what is not saved yet (after a save in flight), so a run started this instant
   * runs the graph on screen, not the one saved a moment ago. False when it could not be saved.
   */
  const flush = useCallback(async (): Promise<boolean> => {
    if (!latest.current.enabled) return true;
    for (let tries = 0; tries < 3; tries += 1) {
      if (inFlight.current) await inFlight.current.catch(() => undefined);
      if (latest.current.serialized === latest.current.savedSnapshot) return true;
      try {
        await save();
      } catch {
        return false;
      }
    }
    return latest.current.serialized === latest.current.savedSnapshot;
  }, [save]);

  const dirty = serialized !== savedSnapshot;
  useEffect(() => {
    if (!enabled || activity !== "idle" || !dirty) return;
    const timer = setTimeout(() => void save().catch(() => undefined), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [serialized, dirty, enabled, activity, save]);

  // Leaving the editor for another page of the studio (a link in the header) unmounts it before
  // the debounce fires: what is not saved yet is saved now, on the way out. Not after a
  // conflict: that waits for the person's choice.
  useEffect(
    () => () => {
      const { serialized: now, savedSnapshot: saved, enabled: on, activity: doing } = latest.current;
      if (!on || now === saved || doing === "conflict") return;
      const landing = flush()
        .then((saved) => {
          if (!saved)
            toast.error("Your last edits to the workflow you left could not be saved. Open it again to redo them.");
        })
        .finally(() => leaving.get(workflowId) === landing && leaving.delete(workflowId));
      leaving.set(workflowId, landing);
    },
    [flush, workflowId],
  );

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (latest.current.serialized !== latest.current.savedSnapshot) e.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);

  /** After reloading the other person's version: start again from it. */
  const reset = useCallback((graphNow: WorkflowGraph, revisionNow: number) => {
    setRevision(revisionNow);
    setSavedSnapshot(JSON.stringify(graphNow));
    setError(null);
    setActivity("idle");
  }, []);

  const status: SaveStatus = activity === "idle" ? (dirty && enabled ? "pending" : "saved") : activity;
  const retry = useCallback(() => void save().catch(() => undefined), [save]);
  return { status, error, revision, retry, reset, flush };
}
