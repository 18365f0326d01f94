"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  CreateMemberInput,
  InstallationOwnersView,
  InviteInput,
  MemberView,
  UpdateMemberInput,
} from "../schemas/identity";
import { api } from "./api-client";

const membersKey = ["admin", "members"] as const;
const invitationsKey = ["admin", "invitations"] as const;

export interface PendingInvitation {
  id: string;
  email: string;
  name: string;
  role: string;
  expiresAt: string;
}

export function useMembers() {
  return useQuery({
    queryKey: membersKey,
    queryFn: () => api<{ members: MemberView[] }>("/api/admin/members").then((r) => r.members),
  });
}

export function useInvitations() {
  return useQuery({
    queryKey: invitationsKey,
    queryFn: () => api<{ invitations: PendingInvitation[] }>("/api/admin/invitations").then((r) => r.invitations),
  });
}

export function useCreateMember() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (input: CreateMemberInput) => api<MemberView>("/api/admin/members", { body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: membersKey }),
  });
}

export function useUpdateMember() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: ({ id, ...input }: UpdateMemberInput & { id: string }) =>
      api<MemberView>(`/api/admin/members/${id}`, { method: "PATCH", body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: membersKey }),
  });
}

export function useInvite() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: (input: InviteInput) =>
      api<PendingInvitation & { token: string }>("/api/admin/invitations", { body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: invitationsKey }),
  });
}

export function useRevokeInvitation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/api/admin/invitations/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: invitationsKey }),
  });
}

const ownersKey = ["admin", "installation-owners"] as const;

/** The installation owners among this workspace's members, and whether the viewer is one. */
export function useInstallationOwners() {
  return useQuery({
    queryKey: ownersKey,
    queryFn: () => api<InstallationOwnersView>("/api/admin/installation-owners"),
  });
}

export function useSetInstallationOwner() {
  const client = useQueryClient();
  return useMutation({
    meta: { showsError: true },
    mutationFn: ({ userId, owner }: { userId: string; owner: boolean }) =>
      api<{ ok: true }>(`/api/admin/installation-owners/${userId}`, { method: "PUT", body: { owner } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ownersKey }),
  });
}
