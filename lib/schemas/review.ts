import { z } from "zod";

/** The inbox's filters and order, from the page's URL or the API's query string. */
export const inboxQuerySchema = z.object({
  workflow: z.string().max(64).optional(),
  assignee: z.enum(["any", "me", "unassigned", "others"]).default("any"),
  /** Waiting at least this many seconds. */
  age: z.coerce.number().int().min(0).max(365 * 86_400).default(0),
  due: z.enum(["any", "overdue", "soon"]).default("any"),
  sort: z.enum(["oldest", "newest", "deadline"]).default("oldest"),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type InboxQuery = z.infer<typeof inboxQuerySchema>;

/** Claim it, let it go back to its role, or hand it to a person or a role. */
export const assignmentInputSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("claim") }),
  z.object({ action: z.literal("release") }),
  z.object({ action: z.literal("assign"), userId: z.string().min(1).max(64) }),
  z.object({ action: z.literal("assign-role"), role: z.enum(["ADMIN", "REVIEWER"]) }),
]);
export type AssignmentInput = z.infer<typeof assignmentInputSchema>;

export const commentInputSchema = z.object({
  body: z.string().trim().min(1, "Write something first").max(5000, "At most 5,000 characters"),
});

/** Where a workspace's review notifications go. The webhook's secret signs each POST (HMAC-SHA256). */
export const notificationSettingsInputSchema = z.object({
  /** Left out: keep the stored one; "": remove it. */
  webhookUrl: z.union([z.literal(""), z.url({ protocol: /^https?$/, error: "Write an http:// or https:// URL, such as https://hooks.example.com/flowdeck" }).max(2000)]).optional(),
  /** Left out: keep the stored one; "": remove it. */
  webhookSecret: z.string().max(200).optional(),
  email: z.boolean().optional(),
});
export type NotificationSettingsInput = z.infer<typeof notificationSettingsInputSchema>;
