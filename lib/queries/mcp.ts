"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AuditRow, ServerInput, ServerScope, ServerView, ToolChoice, ToolUpdate, ToolView } from "../schemas/mcp";
import { api } from "./api-client";

export type { ServerScope } from "../schemas/mcp";
const serversPath = (scope: ServerScope) =>
  scope === "organization" ? "/api/organization/tool-servers" : "/api/admin/mcp/servers";

export function useServers(scope: ServerScope = "workspace") {
  return useQuery({
    queryKey: ["mcp", "servers", scope],
    queryFn: () => api<{ servers: ServerView[] }>(serversPath(scope)).then((r) => r.servers),
  });
}

export function useSaveServer(scope: ServerScope = "workspace") {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: ({ id, ...input }: ServerInput & { id?: string }) =>
      api<{ id: string }>(id ? `${serversPath(scope)}/${id}` : serversPath(scope), {
        method: id ? "PUT" : "POST",
        body: input,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["mcp"] }),
  });
}

export function useDeleteServer(scope: ServerScope = "workspace") {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`${serversPath(scope)}/${id}`, { method: "DELETE" }),
    // The Teams page lists each team's tool servers.
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ["mcp"] }),
        client.invalidateQueries({ queryKey: ["gateway", "teams"] }),
      ]),
  });
}

export function useTestServer(scope: ServerScope = "workspace") {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api<{ ok: boolean; message: string }>(`${serversPath(scope)}/${id}/test`, { method: "POST", body: {} }),
    onSettled: () => client.invalidateQueries({ queryKey: ["mcp"] }),
  });
}

/** Which teams have an organization tool server. */
export function useSetServerTeams() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: ({ id, workspaceIds }: { id: string; workspaceIds: string[] }) =>
      api<{ message: string }>(`/api/organization/tool-servers/${id}/teams`, { method: "PUT", body: { workspaceIds } }),
    // The Teams page lists each team's tool servers too.
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ["mcp"] }),
        client.invalidateQueries({ queryKey: ["gateway", "teams"] }),
      ]),
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

/** A team's tool calls, or (`organization`) every team's, each with its team, and one team's with `team`. */
export function useToolAudit(
  filters: { days: number; outcome: string; tool: string; team?: string },
  organization = false,
) {
  return useQuery({
    queryKey: ["mcp", "audit", organization, filters],
    queryFn: () => api<{ calls: AuditRow[] }>(`${auditPath(organization)}?${auditQuery(filters)}`).then((r) => r.calls),
    refetchInterval: 10_000,
  });
}

export const auditPath = (organization: boolean) =>
  organization ? "/api/organization/tool-audit" : "/api/admin/mcp/audit";

/** The audit's filters as a query string (the list's and its CSV's). */
export function auditQuery(
  filters: { days: number; outcome: string; tool: string; team?: string },
  format?: "csv",
): URLSearchParams {
  return new URLSearchParams({
    days: String(filters.days),
    ...(filters.outcome ? { outcome: filters.outcome } : {}),
    ...(filters.tool ? { tool: filters.tool } : {}),
    ...(filters.team ? { team: filters.team } : {}),
    ...(format ? { format } : {}),
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
