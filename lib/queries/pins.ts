"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { PinInput, PinView } from "@/lib/schemas/pins";
import { api } from "./api-client";

type Pins = Record<string, PinView>;
const key = (workflowId: string) => ["pins", workflowId];

/** The draft's pinned step outputs, by node id. */
export function usePins(workflowId: string) {
  return useQuery({
    queryKey: key(workflowId),
    queryFn: async () => (await api<{ pins: Pins }>(`/api/workflows/${workflowId}/pins`)).pins,
  });
}

/** Pins a step's output (typed, or from the last run that finished it). */
export function usePin(workflowId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ nodeId, ...input }: PinInput & { nodeId: string }) =>
      api<{ pins: Pins }>(`/api/workflows/${workflowId}/pins/${encodeURIComponent(nodeId)}`, {
        method: "PUT",
        body: input,
      }),
    onSuccess: ({ pins }) => client.setQueryData(key(workflowId), pins),
  });
}

export function useUnpin(workflowId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (nodeId: string) =>
      api<{ pins: Pins }>(`/api/workflows/${workflowId}/pins/${encodeURIComponent(nodeId)}`, { method: "DELETE" }),
    onSuccess: ({ pins }) => client.setQueryData(key(workflowId), pins),
  });
}
