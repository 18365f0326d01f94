"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { ApiError } from "../queries/api-client";
import { saveDraftRequest } from "../queries/workflow-editor";
import type { WorkflowGraph } from "../schemas/workflow";

export type SaveStatus = "saved" | "pending" | "saving" | "error" | "conflict";

const DEBOUNCE_MS = 700;

/**
 * Saves the draft a moment after the last change, one save at a time, with the revision the
 * editor last saw. A 409 stops autosaving and reports a conflict; any other failure reports an
 * error with a retry. Leaving the page with unsaved changes asks first.
 *
 * "saved" and "pending" are derived (does the graph equal the last saved one?), never stored,
 * so an edit that is undone back to the saved graph shows as saved again.
 */
export function useAutosave(workflowId: string, graph: WorkflowGraph, initialRevision: number, enabled: boolean) {
  const serialized = JSON.stringify(graph);
  const [activity, setActivity] = useState<"idle" | "saving" | "error" | "conflict">("idle");
  const [error, setError] = useState<string | null>(null);
  const [savedSnapshot, setSavedSnapshot] = useState(serialized);
  const [revision, setRevision] = useState(initialRevision);
  const latest = useRef({ serialized, graph, revision, savedSnapshot });
  const inFlight = useRef(false);
  useLayoutEffect(() => {
    latest.current = { serialized, graph, revision, savedSnapshot };
  });

  const save = useCallback(async () => {
    const { serialized: sending, graph: body, revision: base, savedSnapshot: saved } = latest.current;
    if (inFlight.current || sending === saved) return;
    inFlight.current = true;
    setActivity("saving");
    try {
      const result = await saveDraftRequest(workflowId, body, base);
      setRevision(result.revision);
      setSavedSnapshot(sending);
      setError(null);
      setActivity("idle");
    } catch (e) {
      setActivity(e instanceof ApiError && e.status === 409 ? "conflict" : "error");
      setError(e instanceof ApiError ? e.message : "Could not reach the server.");
    } finally {
      inFlight.current = false;
    }
  }, [workflowId]);

  const dirty = serialized !== savedSnapshot;
  useEffect(() => {
    if (!enabled || activity !== "idle" || !dirty) return;
    const timer = setTimeout(() => void save(), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [serialized, dirty, enabled, activity, save]);

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
  return { status, error, revision, retry: save, reset };
}
