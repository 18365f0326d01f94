"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CaseInput, CaseView, EvaluationView, GateView, Suite } from "@/lib/schemas/evaluations";
import { api } from "./api-client";

const casesKey = (workflowId: string) => ["cases", workflowId];
const suiteKey = (workflowId: string) => ["suite", workflowId];
const evaluationsKey = (workflowId: string) => ["evaluations", workflowId];
// `showsError`: the form that calls the mutation shows its error beside it (no toast as well);
// deleting a case and cancelling an evaluation have no place of their own, so they get the toast.

export function useCases(workflowId: string) {
  return useQuery({
    queryKey: casesKey(workflowId),
    queryFn: async () => (await api<{ cases: CaseView[] }>(`/api/workflows/${workflowId}/cases`)).cases,
  });
}

export function useAddCases(workflowId: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (cases: CaseInput[]) => api(`/api/workflows/${workflowId}/cases`, { body: { cases } }),
    onSuccess: () => client.invalidateQueries({ queryKey: casesKey(workflowId) }),
  });
}

export function useImportCases(workflowId: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (file: { format: "csv" | "jsonl"; text: string }) =>
      api<{ cases: CaseView[] }>(`/api/workflows/${workflowId}/cases/import`, { body: file }),
    onSuccess: () => client.invalidateQueries({ queryKey: casesKey(workflowId) }),
  });
}

export function useUpdateCase(workflowId: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: ({ id, ...change }: { id: string; expected?: unknown; rubric?: string }) =>
      api(`/api/cases/${id}`, { method: "PATCH", body: change }),
    onSuccess: () => client.invalidateQueries({ queryKey: casesKey(workflowId) }),
  });
}

export function useDeleteCase(workflowId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/api/cases/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: casesKey(workflowId) }),
  });
}

/** "Add to test cases" on a run's page. */
export function useAddCaseFromRun() {
  return useMutation({
    meta: { showsError: true },
    mutationFn: (runId: string) => api<{ case: CaseView }>(`/api/runs/${runId}/case`, { method: "POST" }),
  });
}

export function useSuite(workflowId: string) {
  return useQuery({
    queryKey: suiteKey(workflowId),
    queryFn: async () => (await api<{ suite: Suite }>(`/api/workflows/${workflowId}/suite`)).suite,
  });
}

export function useSaveSuite(workflowId: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (suite: Suite) =>
      api<{ suite: Suite }>(`/api/workflows/${workflowId}/suite`, { method: "PUT", body: suite }),
    onSuccess: ({ suite }) => client.setQueryData(suiteKey(workflowId), suite),
  });
}

/** The workflow's last evaluations, read again every second while one runs. */
export function useEvaluations(workflowId: string) {
  return useQuery({
    queryKey: evaluationsKey(workflowId),
    queryFn: async () =>
      (await api<{ evaluations: EvaluationView[] }>(`/api/workflows/${workflowId}/evaluations`)).evaluations,
    refetchInterval: (query) => (query.state.data?.some((e) => e.status === "RUNNING") ? 1000 : false),
  });
}

export function useStartEvaluation(workflowId: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (ask: { on: "draft" | number; concurrency: number }) =>
      api<{ id: string }>(`/api/workflows/${workflowId}/evaluations`, { body: ask }),
    onSuccess: () => client.invalidateQueries({ queryKey: evaluationsKey(workflowId) }),
  });
}

export function useCancelEvaluation(workflowId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/api/evaluations/${id}/cancel`, { method: "POST" }),
    onSuccess: () => client.invalidateQueries({ queryKey: evaluationsKey(workflowId) }),
  });
}

/** The publish gate as it stands for the draft, read again every second while `following`. */
export function useGate(workflowId: string, following: boolean) {
  return useQuery({
    queryKey: ["gate", workflowId],
    queryFn: async () =>
      (await api<{ gate: GateView & { canOverride: boolean } }>(`/api/workflows/${workflowId}/gate`)).gate,
    refetchInterval: following ? 1000 : false,
  });
}
