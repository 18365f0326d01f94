import { route } from "@/lib/api/route";
import { testWebhook } from "@/lib/review/notification-settings";

/** Sends a test event to the workspace's webhook and reports what it answered. */
export const POST = route({ permission: "workspace:admin" }, async ({ ctx }) => testWebhook(ctx));
