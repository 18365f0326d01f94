import { route } from "@/lib/api/route";
import { onReviewsChanged } from "@/lib/review/live";
import { listPendingReviews } from "@/lib/review/reviews";

export const dynamic = "force-dynamic";

/**
 * Server-Sent Events for the inbox: `{ count }` of the pending reviews this person may decide,
 * at once and again whenever the workspace's reviews change (in any process).
 */
export const GET = route({ permission: "reviews:decide" }, async ({ ctx, request }) => {
  const encoder = new TextEncoder();
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let last = -1;
      let counting: Promise<void> = Promise.resolve();
      const count = () => {
        counting = counting.then(async () => {
          if (closed) return;
          const n = (await listPendingReviews(ctx)).length;
          if (n !== last && !closed) controller.enqueue(encoder.encode(`data: ${JSON.stringify({ count: n, changed: last !== -1 })}\n\n`));
          last = n;
        }).catch(() => undefined);
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
