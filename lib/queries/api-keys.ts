"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ApiKeyView, ApplicationKeyInput, ApplicationKeyView, CreateApiKeyInput } from "../schemas/api-key";
import { api } from "./api-client";

const keysKey = ["api-keys"] as const;

export function useApiKeys() {
  return useQuery({
    queryKey: keysKey,
    queryFn: () => api<{ keys: ApiKeyView[] }>("/api/api-keys").then((r) => r.keys),
  });
}

export function useCreateApiKey() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (input: CreateApiKeyInput) => api<ApiKeyView & { key: string }>("/api/api-keys", { body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: keysKey }),
  });
}

export function useRevokeApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/api/api-keys/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: keysKey }),
  });
}

const applicationKeysKey = ["application-keys"];

export function useApplicationKeys(enabled: boolean) {
  return useQuery({
    queryKey: applicationKeysKey,
    enabled,
    queryFn: async () => (await api<{ keys: ApplicationKeyView[] }>("/api/admin/application-keys")).keys,
  });
}

export function useCreateApplicationKey() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (input: ApplicationKeyInput) =>
      api<ApplicationKeyView & { key: string }>("/api/admin/application-keys", { body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: applicationKeysKey }),
  });
}

export function useUpdateApplicationKey() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: ({ id, ...input }: ApplicationKeyInput & { id: string }) =>
      api<ApplicationKeyView>(`/api/admin/application-keys/${id}`, { method: "PUT", body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: applicationKeysKey }),
  });
}

export function useRevokeApplicationKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/api/admin/application-keys/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: applicationKeysKey }),
  });
}
