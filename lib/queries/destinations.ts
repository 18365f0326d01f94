"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { DestinationView } from "../schemas/destination";
import { api } from "./api-client";

const key = ["admin", "destinations"] as const;

export function useDestinations() {
  return useQuery({
    queryKey: key,
    queryFn: () => api<{ destinations: DestinationView[] }>("/api/admin/destinations").then((r) => r.destinations),
  });
}

export function useAddDestination() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (input: { pattern: string; allowPrivate: boolean; requireApproval: boolean }) =>
      api<DestinationView>("/api/admin/destinations", { body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
}

export function useRemoveDestination() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<{ deleted: true }>(`/api/admin/destinations/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
}
