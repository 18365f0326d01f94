"use client";

import { useQuery } from "@tanstack/react-query";
import type { NodeStats } from "../schemas/dashboard";
import { api } from "./api-client";

/** The canvas overlay's figures, fetched while it is on, and refreshed every 15 s. */
export function useNodeStats(workflowId: string, enabled: boolean) {
  return useQuery({
    queryKey: ["node-stats", workflowId],
    queryFn: () => api<NodeStats>(`/api/workflows/${workflowId}/node-stats`),
    enabled,
    refetchInterval: enabled ? 15_000 : false,
  });
}
