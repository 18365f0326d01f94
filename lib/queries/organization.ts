"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  OrganizationSpend,
  PolicyInput,
  PolicyRules,
  PolicyView,
  TryView,
  ViolationView,
} from "@/lib/schemas/guardrail-policy";
import { api } from "./api-client";

const policiesKey = ["guardrail-policies"];
const violationsKey = ["guardrail-violations"];

export function usePolicies() {
  return useQuery({
    queryKey: policiesKey,
    queryFn: () =>
      api<{ policies: PolicyView[]; workspaces: { id: string; name: string }[] }>(
        "/api/organization/guardrail-policies",
      ),
  });
}

export function useSavePolicy() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: ({ id, policy }: { id: string | null; policy: PolicyInput }) =>
      api<{ policy: PolicyView }>(
        id ? `/api/organization/guardrail-policies/${id}` : "/api/organization/guardrail-policies",
        { method: id ? "PUT" : "POST", body: policy },
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: policiesKey }),
  });
}

export function useDeletePolicy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/api/organization/guardrail-policies/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: policiesKey }),
  });
}

export function useTryPolicy() {
  return useMutation({
    meta: { showsError: true },
    mutationFn: (ask: { rules: PolicyRules; text: string; name?: string }) =>
      api<{ result: TryView }>("/api/organization/guardrail-policies/try", { body: ask }),
  });
}

export function useViolations() {
  return useQuery({
    queryKey: violationsKey,
    queryFn: async () =>
      (await api<{ violations: ViolationView[] }>("/api/organization/guardrail-violations")).violations,
    refetchInterval: 10_000,
  });
}

const spendKey = ["organization-spend"];

export function useOrganizationSpend() {
  return useQuery({
    queryKey: spendKey,
    queryFn: async () => (await api<{ spend: OrganizationSpend }>("/api/organization/spend")).spend,
    // Asked again on every visit: someone who comes back after a run looks for its calls.
    staleTime: 0,
    refetchInterval: 30_000,
  });
}

export function useSaveOrganizationLimits() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (limits: { requestsPerMinute: number | null; tokensPerMinute: number | null }) =>
      api("/api/organization/limits", { method: "PUT", body: limits }),
    onSuccess: () => client.invalidateQueries({ queryKey: spendKey }),
  });
}

export function useSaveOrganizationBudget() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (budget: { budgetUsd: number | null; budgetPeriod: "DAY" | "MONTH" }) =>
      api("/api/organization/budget", { method: "PUT", body: budget }),
    onSuccess: () => client.invalidateQueries({ queryKey: spendKey }),
  });
}
