"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CreateWorkflowInput, WorkflowSummary } from "../schemas/workflow";
import { api } from "./api-client";

const key = ["workflows"] as const;

export function useWorkflows() {
  return useQuery({ queryKey: key, queryFn: () => api<{ workflows: WorkflowSummary[] }>("/api/workflows").then((r) => r.workflows) });
}

export function useCreateWorkflow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: Pick<CreateWorkflowInput, "name">) => api<WorkflowSummary>("/api/workflows", { body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
}
