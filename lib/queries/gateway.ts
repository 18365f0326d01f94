"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  AliasInput,
  AliasView,
  LimitsInput,
  LimitsView,
  ModelChoice,
  ProviderInput,
  ProviderView,
} from "../schemas/gateway";
import type { UsageReport } from "../schemas/usage";
import { api } from "./api-client";

const providersKey = ["gateway", "providers"] as const;
const modelsKey = ["gateway", "models"] as const;
const limitsKey = ["gateway", "limits"] as const;

export function useProviders() {
  return useQuery({
    queryKey: providersKey,
    queryFn: () => api<{ providers: ProviderView[] }>("/api/admin/gateway/providers").then((r) => r.providers),
  });
}

export function useSaveProvider() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: ({ id, ...input }: ProviderInput & { id?: string }) =>
      api<{ id: string }>(id ? `/api/admin/gateway/providers/${id}` : "/api/admin/gateway/providers", {
        method: id ? "PUT" : "POST",
        body: input,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["gateway"] }),
  });
}

export function useDeleteProvider() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (id: string) => api(`/api/admin/gateway/providers/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["gateway"] }),
  });
}

export function useTestProvider() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api<{ ok: boolean; message: string; models: string[] }>(`/api/admin/gateway/providers/${id}/test`, {
        method: "POST",
        body: {},
      }),
    onSettled: () => client.invalidateQueries({ queryKey: providersKey }),
  });
}

export function useAliases() {
  return useQuery({
    queryKey: modelsKey,
    queryFn: () => api<{ models: AliasView[] }>("/api/admin/gateway/models").then((r) => r.models),
  });
}

export function useSaveAlias() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: ({ id, ...input }: AliasInput & { id?: string }) =>
      api<{ id: string }>(id ? `/api/admin/gateway/models/${id}` : "/api/admin/gateway/models", {
        method: id ? "PUT" : "POST",
        body: input,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["gateway"] }),
  });
}

export function useDeleteAlias() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/api/admin/gateway/models/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["gateway"] }),
  });
}

export function useLimits() {
  return useQuery({ queryKey: limitsKey, queryFn: () => api<LimitsView>("/api/admin/gateway/limits") });
}

export function useSaveLimits() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (input: LimitsInput) => api<LimitsView>("/api/admin/gateway/limits", { method: "PUT", body: input }),
    onSuccess: (data) => client.setQueryData(limitsKey, data),
  });
}

/** The models the signed-in person may pick (editor). */
export function useModelChoices() {
  return useQuery({
    queryKey: ["models"],
    queryFn: () => api<{ models: ModelChoice[] }>("/api/models").then((r) => r.models),
    staleTime: 30_000,
  });
}

export function useUsage(days: number) {
  return useQuery({
    queryKey: ["usage", days],
    queryFn: () => api<UsageReport>(`/api/admin/usage?days=${days}`),
    refetchInterval: 10_000,
  });
}
