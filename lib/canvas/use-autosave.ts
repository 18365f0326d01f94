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
 */
export function useAutosave(workflowId: string, graph: WorkflowGraph, initialRevision: number, enabled: boolean) {
  const serialized = JSON.stringify(graph);
  const [state, setStatus] = useState<SaveStatus>("saved");
  const [savedSnapshot, setSavedSnapshot] = useState(serialized);
  const [error, setError] = useState<string | null>(null);
  const revision = useRef(initialRevision);
  const [savedRevision, setSavedRevision] = useState(initialRevision);
  const saved = useRef(serialized);
  const latest = useRef({ serialized, graph });
  const inFlight = useRef(false);
  useLayoutEffect(() => {
    latest.current = { serialized, graph };
  });

  const save = useCallback(async () => {
    if (inFlight.current) return;
    const { serialized: sending, graph: body } = latest.current;
    if (sending === saved.current) return setStatus("saved");
    inFlight.current = true;
    setStatus("saving");
    try {
      const result = await saveDraftRequest(workflowId, body, revision.current);
      revision.current = result.revision;
      setSavedRevision(result.revision);
      saved.current = sending;
      setSavedSnapshot(sending);
      setError(null);
      setStatus(latest.current.serialized === sending ? "saved" : "pending");
    } catch (e) {
      const conflict = e instanceof ApiError && e.status === 409;
      setStatus(conflict ? "conflict" : "error");
      setError(e instanceof ApiError ? e.message : "Could not reach the server.");
    } finally {
      inFlight.current = false;
    }
  }, [workflowId]);

  // A change shows as unsaved in the same render that makes it, before the debounce starts.
  const status: SaveStatus = state === "saved" && enabled && serialized !== savedSnapshot ? "pending" : state;

  useEffect(() => {
    if (!enabled || state === "conflict" || state === "error" || state === "saving") return;
    if (serialized === saved.current) return;
    setStatus("pending");
    const timer = setTimeout(() => void save(), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [serialized, enabled, state, save]);

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (latest.current.serialized !== saved.current) e.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);

  /** After reloading the other person's version: start again from it. */
  const reset = useCallback((graphNow: WorkflowGraph, revisionNow: number) => {
    revision.current = revisionNow;
    setSavedRevision(revisionNow);
    saved.current = JSON.stringify(graphNow);
    setSavedSnapshot(saved.current);
    setError(null);
    setStatus("saved");
  }, []);

  return { status, error, revision: savedRevision, retry: save, reset };
}
