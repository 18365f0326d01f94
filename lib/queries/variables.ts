"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CreateVariableInput, VariableView } from "../schemas/variables";
import { api } from "./api-client";

const variablesKey = ["variables"] as const;

/** The workspace's variables and secrets (a secret by name and last four characters only). */
export function useVariables(enabled = true) {
  return useQuery({
    queryKey: variablesKey,
    queryFn: () => api<{ variables: VariableView[] }>("/api/variables").then((r) => r.variables),
    enabled,
    staleTime: 30_000,
  });
}

export function useCreateVariable() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (input: CreateVariableInput) => api<VariableView>("/api/admin/variables", { body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: variablesKey }),
  });
}

export function useUpdateVariable() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, value }: { id: string; value: string }) =>
      api<VariableView>(`/api/admin/variables/${id}`, { method: "PUT", body: { value } }),
    onSuccess: () => client.invalidateQueries({ queryKey: variablesKey }),
  });
}

export function useDeleteVariable() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<{ deleted: true }>(`/api/admin/variables/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: variablesKey }),
  });
}
