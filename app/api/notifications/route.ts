import { route } from "@/lib/api/route";
import { listNotifications } from "@/lib/review/notifications";

/** The caller's in-app notifications in this workspace, newest first, and how many are unread. */
export const GET = route({ permission: "member" }, async ({ ctx }) => listNotifications(ctx));
