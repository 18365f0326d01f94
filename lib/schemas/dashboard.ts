import { z } from "zod";
import { runTriggerSchema } from "./run";
import { storedIntText } from "./storable";

export const dashboardQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(366).default(7),
  workflowId: z.string().min(1).max(64).optional(),
  version: storedIntText(1).optional(),
  /** Only runs this kind of trigger started (the editor, the API, a webhook…). */
  trigger: runTriggerSchema.optional(),
});
export type DashboardQuery = z.infer<typeof dashboardQuerySchema>;

export interface Dashboard {
  from: string;
  to: string;
  totals: {
    runs: number;
    completed: number;
    failed: number;
    cancelled: number;
    active: number;
    /** Of the runs that ended: completed / ended. Null when none ended. */
    completionRate: number | null;
    errorRate: number | null;
    /** Start to end of completed runs. */
    p50Ms: number | null;
    p95Ms: number | null;
    costUsd: number;
    costPerRunUsd: number | null;
    inputTokens: number;
    outputTokens: number;
    reviewsPending: number;
    medianDecisionMs: number | null;
  };
  byDay: { day: string; runs: number; completed: number; failed: number; costUsd: number }[];
  byWorkflow: {
    id: string;
    name: string;
    runs: number;
    completed: number;
    failed: number;
    p50Ms: number | null;
    p95Ms: number | null;
    costPerRunUsd: number;
  }[];
  /** `label`: the step's name in the workflow's draft (its node id when it has none there). */
  slowestSteps: {
    nodeId: string;
    label: string;
    kind: string;
    workflowName: string;
    runs: number;
    p50Ms: number;
    maxMs: number;
  }[];
  errors: { error: string; runs: number; last: string }[];
  spendByModel: { alias: string; calls: number; costUsd: number; tokens: number }[];
  /** What guardrail policies did to the period's model calls, by kind (lib/schemas/guardrail-policy.ts). */
  guardrails: { kind: string; count: number }[];
}

/** Two versions of one workflow, side by side. */
export const compareQuerySchema = z
  .object({
    workflowId: z.string().min(1).max(64),
    a: storedIntText(1),
    b: storedIntText(1),
    days: z.coerce.number().int().min(1).max(366).default(30),
  })
  .refine((q) => q.a !== q.b, { message: "Pick two different versions", path: ["b"] });
export type CompareQuery = z.infer<typeof compareQuerySchema>;

export interface VersionFigures {
  version: number;
  totals: Dashboard["totals"];
  /** Per step: median time and cost, and failures, in this version's runs; `label` as this version names the step. */
  steps: {
    nodeId: string;
    label: string;
    runs: number;
    failed: number;
    p50Ms: number | null;
    medianCostUsd: number;
  }[];
}
export interface VersionComparison {
  a: VersionFigures;
  b: VersionFigures;
}

/** Per step of a workflow over its recent runs: the canvas's "Stats" overlay (lib/observability/node-stats). */
export interface NodeStats {
  /** How many of the workflow's recent runs these figures come from. */
  runs: number;
  nodes: Record<
    string,
    {
      runs: number;
      failed: number;
      p50Ms: number | null;
      p95Ms: number | null;
      medianCostUsd: number;
      totalCostUsd: number;
      medianTokens: number;
    }
  >;
}
