import { z } from "zod";

export const usageQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(366).default(30),
  format: z.enum(["json", "csv"]).default("json"),
});

export interface UsageTotals {
  calls: number;
  errors: number;
  cacheHits: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface UsageReport {
  from: string;
  to: string;
  totals: UsageTotals;
  byDay: ({ day: string } & UsageTotals)[];
  byModel: ({ alias: string } & UsageTotals)[];
  byUser: ({ userId: string; name: string } & UsageTotals)[];
  byWorkflow: ({ workflowId: string; name: string } & UsageTotals)[];
  /** Calls made with API keys, by key (application keys and personal ones). */
  byKey: { apiKeyId: string; name: string; calls: number; costUsd: number; tokens: number }[];
  recent: {
    at: string;
    alias: string;
    modelId: string | null;
    user: string;
    workflow: string;
    inputTokens: number;
    outputTokens: number;
    costUsd: number;
    latencyMs: number;
    ttftMs: number | null;
    status: string;
    error: string | null;
    cacheHit: boolean;
    source: string;
  }[];
}

/** One model call, as the usage ledger records it (lib/gateway/ledger) and its span shows it (lib/tracing). */
export interface UsageEntry {
  workspaceId: string;
  userId: string | null;
  apiKeyId: string | null;
  runId: string | null;
  nodeId: string | null;
  workflowId: string | null;
  alias: string;
  deploymentId: string | null;
  providerKind: string | null;
  modelId: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  ttftMs: number | null;
  status: "ok" | "error" | "refused";
  error: string | null;
  cacheHit: boolean;
  source: "workflow" | "api";
  at: Date;
}
