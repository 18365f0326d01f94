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
import type { GrantAccess, GrantView, TeamInput, TeamView } from "../schemas/teams";
import type { UsageReport } from "../schemas/usage";
import { api } from "./api-client";

/**
 * Providers and models are the organization's (installation owners, under /api/organization)
 * or a team's own (its admins, where the organization lets it bring its own keys).
 */
export type GatewayScope = "workspace" | "organization";
const base = (scope: GatewayScope) => (scope === "organization" ? "/api/organization" : "/api/admin/gateway");
const limitsKey = ["gateway", "limits"] as const;

export function useProviders(scope: GatewayScope = "workspace") {
  return useQuery({
    queryKey: ["gateway", scope, "providers"],
    queryFn: () => api<{ providers: ProviderView[] }>(`${base(scope)}/providers`).then((r) => r.providers),
  });
}

export function useSaveProvider(scope: GatewayScope = "workspace") {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: ({ id, ...input }: ProviderInput & { id?: string }) =>
      api<{ id: string }>(id ? `${base(scope)}/providers/${id}` : `${base(scope)}/providers`, {
        method: id ? "PUT" : "POST",
        body: input,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["gateway"] }),
  });
}

export function useDeleteProvider(scope: GatewayScope = "workspace") {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (id: string) => api(`${base(scope)}/providers/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["gateway"] }),
  });
}

export function useTestProvider(scope: GatewayScope = "workspace") {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api<{ ok: boolean; message: string; models: string[] }>(`${base(scope)}/providers/${id}/test`, {
        method: "POST",
        body: {},
      }),
    onSettled: () => client.invalidateQueries({ queryKey: ["gateway", scope, "providers"] }),
  });
}

export function useAliases(scope: GatewayScope = "workspace") {
  return useQuery({
    queryKey: ["gateway", scope, "models"],
    queryFn: () => api<{ models: AliasView[] }>(`${base(scope)}/models`).then((r) => r.models),
  });
}

export function useSaveAlias(scope: GatewayScope = "workspace") {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: ({ id, ...input }: AliasInput & { id?: string }) =>
      api<{ id: string }>(id ? `${base(scope)}/models/${id}` : `${base(scope)}/models`, {
        method: id ? "PUT" : "POST",
        body: input,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["gateway"] }),
  });
}

export function useDeleteAlias(scope: GatewayScope = "workspace") {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (id: string) => api(`${base(scope)}/models/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["gateway"] }),
  });
}

/** The organization's models granted to this team (workspace admins). */
export function useGrants() {
  return useQuery({
    queryKey: ["gateway", "grants"],
    queryFn: () => api<{ grants: GrantView[] }>("/api/admin/gateway/grants").then((r) => r.grants),
  });
}

export function useSetGrantAccess() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: ({ id, ...input }: GrantAccess & { id: string }) =>
      api<GrantView>(`/api/admin/gateway/grants/${id}`, { method: "PUT", body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["gateway", "grants"] }),
  });
}

/** Every workspace as a team, with its grants and limits (installation owners). */
export function useTeams() {
  return useQuery({
    queryKey: ["gateway", "teams"],
    queryFn: () => api<{ teams: TeamView[] }>("/api/organization/teams").then((r) => r.teams),
  });
}

export function useSaveTeam() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: ({ id, ...input }: TeamInput & { id: string }) =>
      api(`/api/organization/teams/${id}`, { method: "PUT", body: input }),
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
