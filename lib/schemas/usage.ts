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
  recent: { at: string; alias: string; modelId: string | null; user: string; workflow: string; inputTokens: number; outputTokens: number; costUsd: number; latencyMs: number; ttftMs: number | null; status: string; error: string | null; cacheHit: boolean; source: string }[];
}
