import { z } from "zod";

export const createApiKeyInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Name the key after what uses it, such as “CI pipeline”")
    .max(80, "Use at most 80 characters"),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInputSchema>;

export interface ApiKeyView {
  id: string;
  name: string;
  /** The key's first characters, to recognise it; the key itself is shown once only. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** An application key: the workspace's, for a service, with its own role, models, budget, rate and expiry. */
export const applicationKeyInputSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "Name the key after the service that uses it, such as “Support bot”")
      .max(80, "Use at most 80 characters"),
    role: z.enum(["ADMIN", "BUILDER", "REVIEWER"]).default("BUILDER"),
    /** Model aliases it may call; empty: every one its role may. */
    models: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
    budgetUsd: z.number().min(0).max(1e9).nullable().default(null),
    budgetPeriod: z.enum(["DAY", "MONTH"]).default("MONTH"),
    rpm: z.number().int().min(1).max(1_000_000).nullable().default(null),
    /** When it stops working (ISO date-time); null: never. */
    expiresAt: z.iso
      .datetime({ offset: true })
      .nullable()
      .default(null)
      .refine((v) => v === null || new Date(v).getTime() > Date.now(), "Pick a time in the future"),
  })
  .strict();
export type ApplicationKeyInput = z.input<typeof applicationKeyInputSchema>;

export interface ApplicationKeyView extends ApiKeyView {
  role: "ADMIN" | "BUILDER" | "REVIEWER";
  models: string[];
  budgetUsd: number | null;
  budgetPeriod: "DAY" | "MONTH";
  rpm: number | null;
  expiresAt: string | null;
  createdByName: string;
}

/** What an application key may do at the gateway, carried with the viewer it stands for. */
export interface KeyLimits {
  id: string;
  name: string;
  models: string[];
  budgetUsd: number | null;
  budgetPeriod: "DAY" | "MONTH";
  rpm: number | null;
}
