"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CreateWorkflowInput, WorkflowSummary } from "../schemas/workflow";
import { api } from "./api-client";

const key = (deleted: boolean) => ["workflows", deleted ? "bin" : "live"] as const;

export function useWorkflows(deleted = false) {
  return useQuery({
    queryKey: key(deleted),
    queryFn: () =>
      api<{ workflows: WorkflowSummary[] }>(`/api/workflows${deleted ? "?deleted=1" : ""}`).then((r) => r.workflows),
  });
}

/**
 * Every workflow mutation refreshes both lists (live and bin). `showsError`: the caller shows
 * a failure itself (else a toast does).
 */
function useWorkflowMutation<I, O>(fn: (input: I) => Promise<O>, showsError = false) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    meta: { showsError },
    onSuccess: () => client.invalidateQueries({ queryKey: ["workflows"] }),
  });
}

export const useCreateWorkflow = () =>
  useWorkflowMutation((input: CreateWorkflowInput) => api<WorkflowSummary>("/api/workflows", { body: input }), true);
export const useCreateFromTemplate = () =>
  useWorkflowMutation(
    (templateId: string) => api<{ id: string }>(`/api/workflows/templates/${templateId}`, { method: "POST" }),
    true,
  );
export const useDuplicateWorkflow = () =>
  useWorkflowMutation((id: string) => api<WorkflowSummary>(`/api/workflows/${id}/duplicate`, { method: "POST" }));
export const useDeleteWorkflow = () =>
  useWorkflowMutation((id: string) => api(`/api/workflows/${id}`, { method: "DELETE" }));
export const useRestoreWorkflow = () =>
  useWorkflowMutation((id: string) => api<WorkflowSummary>(`/api/workflows/${id}/restore`, { method: "POST" }));
