"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CreateTriggerInput, DeliveryView, TriggerView, UpdateTriggerInput } from "../schemas/triggers";
import { api } from "./api-client";

const key = (workflowId: string) => ["triggers", workflowId] as const;

export function useTriggers(workflowId: string) {
  return useQuery({
    queryKey: key(workflowId),
    queryFn: () => api<{ triggers: TriggerView[] }>(`/api/workflows/${workflowId}/triggers`).then((r) => r.triggers),
  });
}

/** A webhook's last deliveries, read again every few seconds while shown. */
export function useDeliveries(triggerId: string) {
  return useQuery({
    queryKey: ["trigger-deliveries", triggerId],
    queryFn: () =>
      api<{ deliveries: DeliveryView[] }>(`/api/triggers/${triggerId}/deliveries`).then((r) => r.deliveries),
    refetchInterval: 3000,
  });
}

export function useAddTrigger(workflowId: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (input: CreateTriggerInput) =>
      api<TriggerView>(`/api/workflows/${workflowId}/triggers`, { body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: key(workflowId) }),
  });
}

export function useUpdateTrigger(workflowId: string) {
  const client = useQueryClient();
  return useMutation({
    // Shown where it was asked: the card (on or off) or the settings form (by field, or under it).
    meta: { showsError: true },
    mutationFn: ({ id, ...input }: UpdateTriggerInput & { id: string }) =>
      api<TriggerView>(`/api/triggers/${id}`, { method: "PATCH", body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: key(workflowId) }),
  });
}

/** A webhook's new secret (in the answer), or a chat's new link (the list is read again: it shows the link). */
export function useRotateTriggerSecret(workflowId?: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<TriggerView>(`/api/triggers/${id}/secret`, { method: "POST" }),
    onSuccess: () => (workflowId ? client.invalidateQueries({ queryKey: key(workflowId) }) : undefined),
  });
}

export function useDeleteTrigger(workflowId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<{ ok: true }>(`/api/triggers/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: key(workflowId) }),
  });
}
