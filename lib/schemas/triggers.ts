import { z } from "zod";

/**
 * Triggers: what starts runs of a workflow's published version without a person in the editor.
 * A webhook answers at its own URL (`/api/hooks/:id`), authenticated by a secret token or an
 * HMAC signature of the body, its JSON body being the run's input (the Start fields).
 */
export const webhookAuthSchema = z.enum(["token", "hmac"]);
export const webhookModeSchema = z.enum(["async", "sync"]);

export const webhookConfigSchema = z.object({
  /** "token": `Authorization: Bearer <secret>`; "hmac": `X-Flowdeck-Signature: t=<unix s>,v1=<hex>`. */
  auth: webhookAuthSchema.default("token"),
  /** "async": 202 at once with the run id; "sync": waits for the run's end up to `waitSeconds`. */
  mode: webhookModeSchema.default("async"),
  waitSeconds: z.number().int().min(1, "At least 1 second").max(120, "At most 120 seconds").default(30),
  /** Deliveries accepted per minute; past it, 429 with Retry-After. */
  perMinute: z.number().int().min(1, "At least 1").max(10_000, "At most 10,000").default(60),
});
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

const name = z.string().trim().min(1, "Give the trigger a name").max(80, "At most 80 characters");

export const createTriggerInputSchema = z.object({
  kind: z.literal("webhook").default("webhook"),
  name,
  config: webhookConfigSchema.default({ auth: "token", mode: "async", waitSeconds: 30, perMinute: 60 }),
});
export type CreateTriggerInput = z.infer<typeof createTriggerInputSchema>;

export const updateTriggerInputSchema = z
  .object({ name, enabled: z.boolean(), config: webhookConfigSchema })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Send at least one of name, enabled and config");
export type UpdateTriggerInput = z.infer<typeof updateTriggerInputSchema>;

/** What the studio shows of a trigger: never its secret, except once when made or rotated. */
export interface TriggerView {
  id: string;
  workflowId: string;
  kind: "webhook";
  name: string;
  enabled: boolean;
  config: WebhookConfig;
  /** Path of the production URL (runs the published version) and of the test URL (runs the draft). */
  path: string;
  testPath: string;
  createdAt: string;
  /** Only in the answer that made or rotated it. */
  secret?: string;
}

export interface DeliveryView {
  id: string;
  at: string;
  test: boolean;
  status: number;
  runId: string | null;
  error: string | null;
  payload: string;
  ms: number | null;
  idempotencyKey: string | null;
}
