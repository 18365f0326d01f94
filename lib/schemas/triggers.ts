import { Cron } from "croner";
import { z } from "zod";

/**
 * Triggers: what starts runs of a workflow's published version without a person in the editor.
 * A webhook answers at its own URL (`/api/hooks/:id`), authenticated by a secret token or an
 * HMAC signature of the body, its JSON body being the run's input (the Start fields). A
 * schedule starts a run at each tick of a cron expression in a time zone, with a fixed input.
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

/** The fewest seconds between two ticks of a schedule. */
export const MIN_TICK_SECONDS = 5;

/** Whether a time zone name is one this runtime knows ("Europe/Paris", "UTC"). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The next `n` ticks of a cron expression in a time zone, after `after`; throws on a bad expression. */
export function nextTicks(cron: string, timezone: string, n: number, after = new Date()): Date[] {
  return new Cron(cron, { timezone, paused: true, mode: "5-or-6-parts" }).nextRuns(n, after);
}

/** How many ticks ahead the fewest-seconds rule is checked: enough to cross a minute of 5-second ticks and more. */
const TICKS_CHECKED = 30;

/** What is wrong with a cron expression (in words), or null. */
export function cronProblem(cron: string, timezone = "UTC"): string | null {
  let ticks: Date[];
  try {
    // From the start of a day, so the answer does not depend on the second it is asked.
    const from = new Date(Date.UTC(2026, 0, 1));
    ticks = nextTicks(cron, isTimeZone(timezone) ? timezone : "UTC", TICKS_CHECKED, from);
  } catch (error) {
    return `Not a cron expression: ${error instanceof Error ? error.message.replace(/^CronPattern: /, "") : "unreadable"}`;
  }
  if (ticks.length === 0) return "This expression never comes round";
  for (let i = 1; i < ticks.length; i++)
    if (ticks[i]!.getTime() - ticks[i - 1]!.getTime() < MIN_TICK_SECONDS * 1000)
      return `At most one tick every ${MIN_TICK_SECONDS} seconds`;
  return null;
}

/** A schedule's config as stored: read back as written (the cron checks ran when it was written). */
export const storedScheduleConfigSchema = z.object({
  /** Five fields (minute hour day month weekday), or six with seconds first. */
  cron: z.string().trim().min(1, "Write a cron expression, such as 0 9 * * 1-5").max(120, "At most 120 characters"),
  timezone: z.string().max(64).refine(isTimeZone, "Not a time zone this server knows, such as Europe/Paris or UTC"),
  /** The run's input (the Start fields), the same at every tick. */
  input: z.record(z.string(), z.unknown()).default({}),
  /** Ticks missed while no worker was up: "skip" them, or run "once" for all of them. */
  missed: z.enum(["skip", "once"]).default("skip"),
});
/** A schedule's config as a builder writes it: the expression must read, and tick at most every 5 s. */
export const scheduleConfigSchema = storedScheduleConfigSchema.superRefine((c, ctx) => {
  const problem = cronProblem(c.cron, c.timezone);
  if (problem) ctx.addIssue({ code: "custom", path: ["cron"], message: problem });
});
export type ScheduleConfig = z.infer<typeof storedScheduleConfigSchema>;

export const formConfigSchema = z.object({
  /** "members": the workspace's signed-in members; "public": anyone with the link. */
  access: z.enum(["members", "public"]).default("members"),
  /** How long the page waits for the run's output before it thanks and lets the person go. */
  waitSeconds: z.number().int().min(0, "At least 0").max(60, "At most 60 seconds").default(20),
  thankYou: z
    .string()
    .trim()
    .min(1, "Write what people read")
    .max(500, "At most 500 characters")
    .default("Thank you: your answers were sent, and the work has started."),
  /** Submissions accepted per minute; past it, 429. */
  perMinute: z.number().int().min(1, "At least 1").max(10_000, "At most 10,000").default(30),
});
export type FormConfig = z.infer<typeof formConfigSchema>;

export const chatConfigSchema = z.object({
  /** "members": the workspace's signed-in members; "public": anyone with the link, which carries a token. */
  access: z.enum(["members", "public"]).default("members"),
  /**
   * What each run is given of the conversation before its message: the last `windowTurns`
   * turns ("window"), or those and a summary of everything older, rewritten as it grows ("summary").
   */
  memory: z.enum(["window", "summary"]).default("window"),
  windowTurns: z.number().int().min(1, "At least 1 turn").max(50, "At most 50 turns").default(10),
  /** The model that writes the rolling summary (through the gateway, as the chat's maker). */
  summaryModel: z.string().trim().min(1, "Pick a model").max(100).default("demo"),
  /** The Start field the person's message goes into; empty: the first text field. */
  messageField: z.string().trim().max(100).default(""),
  greeting: z.string().trim().max(500, "At most 500 characters").default("Hello! How can I help?"),
  /** Messages accepted per minute, for the whole chat; one sender gets at most 10 of them. */
  perMinute: z.number().int().min(1, "At least 1").max(10_000, "At most 10,000").default(30),
  /** A public chat may be put on other sites with the widget (one script tag). Off until turned on. */
  embed: z.boolean().default(false),
});
export type ChatConfig = z.infer<typeof chatConfigSchema>;

/** What a hosted form's page shows: the workflow's name and description, and its Start fields. */
export interface HostedForm {
  id: string;
  title: string;
  description: string;
  access: FormConfig["access"];
  fields: {
    name: string;
    type: "string" | "text" | "number" | "boolean" | "json";
    required: boolean;
    description: string;
  }[];
}

const name = z.string().trim().min(1, "Give the trigger a name").max(80, "At most 80 characters");

const createTriggerKinds = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("webhook"),
    name,
    config: webhookConfigSchema.default({ auth: "token", mode: "async", waitSeconds: 30, perMinute: 60 }),
  }),
  z.object({ kind: z.literal("schedule"), name, config: scheduleConfigSchema }),
  z.object({ kind: z.literal("form"), name, config: formConfigSchema.default(formConfigSchema.parse({})) }),
  z.object({ kind: z.literal("chat"), name, config: chatConfigSchema.default(chatConfigSchema.parse({})) }),
]);
/** A new trigger; without a `kind`, a webhook. */
export const createTriggerInputSchema = z.preprocess(
  (v) => (v && typeof v === "object" && !Array.isArray(v) && !("kind" in v) ? { ...v, kind: "webhook" } : v),
  createTriggerKinds,
);
export type CreateTriggerInput = z.infer<typeof createTriggerKinds>;

/** A change: the config is checked against the trigger's own kind when applied. */
export const updateTriggerInputSchema = z
  .object({ name, enabled: z.boolean(), config: z.record(z.string(), z.unknown()) })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Send at least one of name, enabled and config");
export type UpdateTriggerInput = z.infer<typeof updateTriggerInputSchema>;

/** What the studio shows of a trigger: never its secret, except once when made or rotated. */
export type TriggerView = {
  id: string;
  workflowId: string;
  name: string;
  enabled: boolean;
  /**
   * A webhook's URL (runs the published version) and test URL (runs the draft); a form's or a
   * chat's page (a public chat's with its link token); empty for a schedule.
   */
  path: string;
  testPath: string;
  createdAt: string;
  /** Only in the answer that made or rotated it. */
  secret?: string;
} & (
  | { kind: "webhook"; config: WebhookConfig }
  | { kind: "schedule"; config: ScheduleConfig }
  | { kind: "form"; config: FormConfig }
  /** `widgetPath`: the widget's script, for a public chat that may be embedded; else empty. */
  | { kind: "chat"; config: ChatConfig; widgetPath: string }
);

export interface DeliveryView {
  id: string;
  at: string;
  test: boolean;
  status: number;
  runId: string | null;
  /** How the run it started stands now (its answer, `status`, says only that it was taken). */
  runStatus: "queued" | "running" | "waiting" | "completed" | "failed" | "cancelled" | null;
  error: string | null;
  payload: string;
  ms: number | null;
  idempotencyKey: string | null;
}
