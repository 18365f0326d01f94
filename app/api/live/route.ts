import { route } from "@/lib/api/route";
import { sse } from "@/lib/api/sse";
import { liveCountsStream } from "@/lib/review/live-counts";

export const dynamic = "force-dynamic";

/** Server-Sent Events for the navigation: the inbox count and unread notifications, live. */
export const GET = route({ permission: "member" }, async ({ ctx, request }) =>
  sse(liveCountsStream(ctx, request.signal)),
);
