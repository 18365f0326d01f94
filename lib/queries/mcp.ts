"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AuditRow, ServerInput, ServerView, ToolChoice, ToolUpdate, ToolView } from "../schemas/mcp";
import { api } from "./api-client";

export function useServers() {
  return useQuery({
    queryKey: ["mcp", "servers"],
    queryFn: () => api<{ servers: ServerView[] }>("/api/admin/mcp/servers").then((r) => r.servers),
  });
}

export function useSaveServer() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: ({ id, ...input }: ServerInput & { id?: string }) =>
      api<{ id: string }>(id ? `/api/admin/mcp/servers/${id}` : "/api/admin/mcp/servers", {
        method: id ? "PUT" : "POST",
        body: input,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["mcp"] }),
  });
}

export function useDeleteServer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/api/admin/mcp/servers/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["mcp"] }),
  });
}

export function useTestServer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api<{ ok: boolean; message: string }>(`/api/admin/mcp/servers/${id}/test`, { method: "POST", body: {} }),
    onSettled: () => client.invalidateQueries({ queryKey: ["mcp"] }),
  });
}

export function useMcpTools() {
  return useQuery({
    queryKey: ["mcp", "tools"],
    queryFn: () => api<{ tools: ToolView[] }>("/api/admin/mcp/tools").then((r) => r.tools),
  });
}

export function useUpdateTool() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: ({ id, ...input }: ToolUpdate & { id: string }) =>
      api(`/api/admin/mcp/tools/${id}`, { method: "PUT", body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["mcp"] }),
  });
}

export function useToolAudit(filters: { days: number; outcome: string; tool: string }) {
  const q = new URLSearchParams({
    days: String(filters.days),
    ...(filters.outcome ? { outcome: filters.outcome } : {}),
    ...(filters.tool ? { tool: filters.tool } : {}),
  });
  return useQuery({
    queryKey: ["mcp", "audit", filters],
    queryFn: () => api<{ calls: AuditRow[] }>(`/api/admin/mcp/audit?${q}`).then((r) => r.calls),
    refetchInterval: 10_000,
  });
}

/** Tools the signed-in person may pick (editor). */
export function useToolChoices() {
  return useQuery({
    queryKey: ["tools"],
    queryFn: () => api<{ tools: ToolChoice[] }>("/api/tools").then((r) => r.tools),
    staleTime: 30_000,
  });
}
