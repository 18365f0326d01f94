"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import {
  isEndEvent,
  isEnded,
  type DecisionInput,
  type ReplayRunInput,
  type RunStreamEvent,
  type RunSummary,
  type RunTrigger,
  type RunView,
  type StartRunInput,
} from "../schemas/run";
import { api } from "./api-client";

/** The workflow's recent runs, all or only those one kind of trigger started (a webhook's, the editor's…). */
export function useRuns(workflowId: string, trigger: RunTrigger | null = null) {
  return useQuery({
    queryKey: ["runs", workflowId, trigger ?? "all"],
    queryFn: () =>
      api<{ runs: RunSummary[] }>(`/api/workflows/${workflowId}/runs${trigger ? `?trigger=${trigger}` : ""}`).then(
        (r) => r.runs,
      ),
  });
}

/** How often a followed run is read again while it has not ended, whatever its event stream does. */
export const RUN_POLL_MS = 3000;

/**
 * One run. `follow`: read it again every few seconds until it has ended, so a page shows the
 * end of the run even when its event stream was cut, refused or went quiet.
 */
export function useRun(runId: string | null, follow = false) {
  return useQuery({
    queryKey: ["run", runId],
    queryFn: () => api<RunView>(`/api/runs/${runId}`),
    enabled: !!runId,
    refetchInterval: (query) => (follow && !isEnded(query.state.data?.status ?? "") ? RUN_POLL_MS : false),
  });
}

export function useStartRun(workflowId: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (input: StartRunInput) => api<{ id: string }>(`/api/workflows/${workflowId}/runs`, { body: input }),
    // The workflow list shows each workflow's last run.
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ["runs", workflowId] }),
        client.invalidateQueries({ queryKey: ["workflows"] }),
      ]),
  });
}

export function useRetryRun(workflowId: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (runId: string) =>
      api<{ id: string; reused: string[] }>(`/api/runs/${runId}/retry`, { method: "POST" }),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ["runs", workflowId] }),
        client.invalidateQueries({ queryKey: ["workflows"] }),
      ]),
  });
}

/** "Replay from here": answers the new run's id. */
export function useReplayRun(workflowId: string, runId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ask: ReplayRunInput) =>
      api<{ id: string; reused: string[] }>(`/api/runs/${runId}/replay`, { body: ask }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["runs", workflowId] }),
  });
}

export function useCancelRun() {
  return useMutation({ mutationFn: (runId: string) => api(`/api/runs/${runId}/cancel`, { method: "POST" }) });
}

export function useDecideReview() {
  return useMutation({
    meta: { showsError: true },
    mutationFn: ({ reviewId, ...input }: DecisionInput & { reviewId: string }) =>
      api(`/api/reviews/${reviewId}/decision`, { body: input }),
  });
}

export type LiveStep = {
  status: "running" | "done" | "failed" | "waiting" | "skipped";
  streamed: string;
  output?: unknown;
  error?: string;
  waitingOn?: string;
  /** Console lines (a Code step's). */
  logs?: string[];
};

export interface LiveRun {
  status: "connecting" | "running" | "waiting" | "completed" | "failed" | "cancelled";
  steps: Record<string, LiveStep>;
  output?: unknown;
  error?: string;
}

const runStatus: Record<string, LiveRun["status"]> = {
  "run.waiting": "waiting",
  "run.completed": "completed",
  "run.failed": "failed",
  "run.cancelled": "cancelled",
  "run.started": "running",
};

/** Folds one stream event into the live view of the run. Pure, so it is easy to test. */
export function applyRunEvent(run: LiveRun, e: RunStreamEvent): LiveRun {
  const payload = (e.payload ?? {}) as {
    output?: unknown;
    error?: string;
    text?: string;
    waitingOn?: string;
    logs?: string[];
  };
  const node = e.nodeId ?? "";
  const step = run.steps[node] ?? { status: "running", streamed: "" };
  switch (e.type) {
    case "step.started":
      return { ...run, status: "running", steps: { ...run.steps, [node]: { status: "running", streamed: "" } } };
    case "step.delta":
      return { ...run, steps: { ...run.steps, [node]: { ...step, streamed: step.streamed + (payload.text ?? "") } } };
    case "step.completed":
      return {
        ...run,
        steps: { ...run.steps, [node]: { ...step, status: "done", output: payload.output, logs: payload.logs } },
      };
    case "step.failed":
      return {
        ...run,
        steps: { ...run.steps, [node]: { ...step, status: "failed", error: payload.error, logs: payload.logs } },
      };
    case "step.waiting":
      return { ...run, steps: { ...run.steps, [node]: { ...step, status: "waiting", waitingOn: payload.waitingOn } } };
    case "step.skipped":
      return { ...run, steps: { ...run.steps, [node]: { status: "skipped", streamed: "" } } };
    default: {
      const status = runStatus[e.type];
      if (!status) return run;
      const p = (e.payload ?? {}) as { output?: unknown; error?: string };
      return { ...run, status, output: p.output ?? run.output, error: p.error ?? run.error };
    }
  }
}

/**
 * Follows a run's event stream (replay, then live). The browser reconnects a dropped stream with
 * Last-Event-ID by itself; a stream it gives up on (an error answer such as a 503) is opened
 * again here after a moment, from the last event seen, until the run's last event.
 */
export function useRunStream(runId: string | null): LiveRun | null {
  const client = useQueryClient();
  const [state, setState] = useState<{ runId: string | null; run: LiveRun | null }>({ runId: null, run: null });
  useEffect(() => {
    if (!runId) return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let lastSeq = 0;
    let ended = false;
    const open = () => {
      source = new EventSource(`/api/runs/${runId}/events${lastSeq ? `?after=${lastSeq}` : ""}`);
      source.onmessage = (m) => {
        const event = JSON.parse(m.data) as RunStreamEvent;
        if (event.seq !== undefined) lastSeq = Math.max(lastSeq, event.seq);
        setState((s) => ({
          runId,
          run: applyRunEvent(s.runId === runId && s.run ? s.run : { status: "connecting", steps: {} }, event),
        }));
        // Lists that show a run's state (the workflows' last runs) are out of date now.
        if (event.type === "run.waiting" || isEndEvent(event.type))
          void client.invalidateQueries({ queryKey: ["workflows"] });
        if (isEndEvent(event.type)) {
          ended = true;
          source?.close();
        }
      };
      source.onerror = () => {
        if (ended || source?.readyState !== EventSource.CLOSED) return;
        retry = setTimeout(open, 2000);
      };
    };
    open();
    return () => {
      ended = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [runId, client]);
  return state.runId === runId ? state.run : null;
}
