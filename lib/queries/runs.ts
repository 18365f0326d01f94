"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import {
  isEndEvent,
  type DecisionInput,
  type RunStreamEvent,
  type RunSummary,
  type RunView,
  type StartRunInput,
} from "../schemas/run";
import { api } from "./api-client";

export function useRuns(workflowId: string) {
  return useQuery({
    queryKey: ["runs", workflowId],
    queryFn: () => api<{ runs: RunSummary[] }>(`/api/workflows/${workflowId}/runs`).then((r) => r.runs),
  });
}

export function useRun(runId: string | null) {
  return useQuery({ queryKey: ["run", runId], queryFn: () => api<RunView>(`/api/runs/${runId}`), enabled: !!runId });
}

export function useStartRun(workflowId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: StartRunInput) => api<{ id: string }>(`/api/workflows/${workflowId}/runs`, { body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["runs", workflowId] }),
  });
}

export function useRetryRun(workflowId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (runId: string) =>
      api<{ id: string; reused: string[] }>(`/api/runs/${runId}/retry`, { method: "POST" }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["runs", workflowId] }),
  });
}

export function useCancelRun() {
  return useMutation({ mutationFn: (runId: string) => api(`/api/runs/${runId}/cancel`, { method: "POST" }) });
}

export function useDecideReview() {
  return useMutation({
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
  const payload = (e.payload ?? {}) as { output?: unknown; error?: string; text?: string; waitingOn?: string };
  const node = e.nodeId ?? "";
  const step = run.steps[node] ?? { status: "running", streamed: "" };
  switch (e.type) {
    case "step.started":
      return { ...run, status: "running", steps: { ...run.steps, [node]: { status: "running", streamed: "" } } };
    case "step.delta":
      return { ...run, steps: { ...run.steps, [node]: { ...step, streamed: step.streamed + (payload.text ?? "") } } };
    case "step.completed":
      return { ...run, steps: { ...run.steps, [node]: { ...step, status: "done", output: payload.output } } };
    case "step.failed":
      return { ...run, steps: { ...run.steps, [node]: { ...step, status: "failed", error: payload.error } } };
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

/** Follows a run's event stream (replay, then live); the browser reconnects with Last-Event-ID. */
export function useRunStream(runId: string | null): LiveRun | null {
  const [state, setState] = useState<{ runId: string | null; run: LiveRun | null }>({ runId: null, run: null });
  useEffect(() => {
    if (!runId) return;
    const source = new EventSource(`/api/runs/${runId}/events`);
    source.onmessage = (m) => {
      const event = JSON.parse(m.data) as RunStreamEvent;
      setState((s) => ({
        runId,
        run: applyRunEvent(s.runId === runId && s.run ? s.run : { status: "connecting", steps: {} }, event),
      }));
      if (isEndEvent(event.type)) source.close();
    };
    return () => source.close();
  }, [runId]);
  return state.runId === runId ? state.run : null;
}
