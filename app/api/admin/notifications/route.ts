import { route } from "@/lib/api/route";
import { getNotificationSettings, saveNotificationSettings } from "@/lib/review/notification-settings";
import { notificationSettingsInputSchema } from "@/lib/schemas/review";

/** Where the workspace's review notifications go (webhook, email); the URL and secret are never sent back. */
export const GET = route({ permission: "workspace:admin" }, async ({ ctx }) => getNotificationSettings(ctx));
export const PUT = route(
  { permission: "workspace:admin", body: notificationSettingsInputSchema },
  async ({ ctx, body }) => saveNotificationSettings(ctx, body),
);
