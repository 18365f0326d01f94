import { route } from "@/lib/api/route";
import { onReviewsChanged } from "@/lib/review/live";
import { unreadNotifications } from "@/lib/review/notifications";
import { countPendingReviews } from "@/lib/review/reviews";
import { can } from "@/lib/schemas/permissions";

export const dynamic = "force-dynamic";

/**
 * Server-Sent Events for the navigation: `{ inbox, unread, changed }`: the pending reviews this
 * person may decide (null for roles without an inbox) and their unread notifications, at once
 * and again whenever the workspace's reviews change (in any process).
 */
export const GET = route({ permission: "member" }, async ({ ctx, request }) => {
  const encoder = new TextEncoder();
  const reviewer = can(ctx.role, "reviews:decide");
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let last = "";
      let counting: Promise<void> = Promise.resolve();
      // Changes that arrive while a count runs are folded into one more count.
      let queued = false;
      const count = () => {
        if (queued) return;
        queued = true;
        counting = counting
          .then(async () => {
            queued = false;
            if (closed) return;
            const [inbox, unread] = await Promise.all([reviewer ? countPendingReviews(ctx) : null, unreadNotifications(ctx)]);
            const key = `${inbox}/${unread}`;
            if (key !== last && !closed) controller.enqueue(encoder.encode(`data: ${JSON.stringify({ inbox, unread, changed: last !== "" })}\n\n`));
            last = key;
          })
          .catch(() => undefined);
      };
      const off = await onReviewsChanged(ctx.workspace.id, count);
      const ping = setInterval(() => !closed && controller.enqueue(encoder.encode(": ping\n\n")), 15_000);
      stop = () => {
        if (closed) return;
        closed = true;
        off();
        clearInterval(ping);
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      request.signal.addEventListener("abort", () => stop());
      controller.enqueue(encoder.encode("retry: 2000\n\n"));
      count();
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", connection: "keep-alive" } });
});
