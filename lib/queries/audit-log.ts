"use client";

import { useQuery } from "@tanstack/react-query";
import type { AuditLogRow, AuditLogTopic } from "../schemas/audit-log";
import { api } from "./api-client";

/** The workspace's audit log for a period, maybe one topic (admins). */
export function useAuditLog(filters: { days: number; topic: AuditLogTopic | "" }) {
  return useQuery({
    queryKey: ["audit-log", filters],
    queryFn: () =>
      api<{ entries: AuditLogRow[] }>(
        `/api/admin/audit?${new URLSearchParams({ days: String(filters.days), ...(filters.topic && { topic: filters.topic }) })}`,
      ).then((r) => r.entries),
    refetchInterval: 15_000,
  });
}
