"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { WorkflowDetail, WorkflowGraph, WorkflowSummary, WorkflowVersionSummary } from "../schemas/workflow";
import { api } from "./api-client";

export const workflowKey = (id: string) => ["workflow", id] as const;
const versionsKey = (id: string) => ["workflow", id, "versions"] as const;

export function useWorkflowVersions(id: string) {
  return useQuery({
    queryKey: versionsKey(id),
    queryFn: () => api<{ versions: WorkflowVersionSummary[] }>(`/api/workflows/${id}/versions`).then((r) => r.versions),
  });
}

export function useWorkflowVersion(id: string, version: number | null) {
  return useQuery({
    queryKey: ["workflow", id, "version", version],
    queryFn: () => api<WorkflowVersionSummary & { graph: WorkflowGraph }>(`/api/workflows/${id}/versions/${version}`),
    enabled: version !== null,
    staleTime: Infinity,
  });
}

export function usePublish(id: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (input: { note: string; revision: number; gateOverride?: string }) =>
      api<WorkflowVersionSummary>(`/api/workflows/${id}/versions`, { body: input }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: versionsKey(id) });
      void client.invalidateQueries({ queryKey: ["workflows"] });
    },
  });
}

export function useRenameWorkflow(id: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (name: string) => api<WorkflowSummary>(`/api/workflows/${id}`, { method: "PATCH", body: { name } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["workflows"] }),
  });
}

export const fetchWorkflow = (id: string) => api<WorkflowDetail>(`/api/workflows/${id}`);
export const saveDraftRequest = (id: string, graph: WorkflowGraph, revision: number) =>
  api<{ revision: number; updatedAt: string }>(`/api/workflows/${id}/draft`, {
    method: "PUT",
    body: { graph, revision },
  });
