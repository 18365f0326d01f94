import "server-only";
import type { Viewer } from "../auth/session";
import { can } from "../schemas/permissions";
import { onReviewsChanged } from "./live";
import { unreadNotifications } from "./notifications";
import { countPendingReviews } from "./reviews";

/**
 * The navigation's live counts as Server-Sent Events: `{ inbox, unread, changed }`, the
 * pending reviews this person may decide (null for roles without an inbox) and their unread
 * notifications, at once and again whenever the workspace's reviews change (in any process).
 * Changes that arrive while a count runs are folded into one more count.
 */
export function liveCountsStream(viewer: Viewer, signal: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const reviewer = can(viewer.role, "reviews:decide");
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let last = "";
      let counting: Promise<void> = Promise.resolve();
      let queued = false;
      const count = () => {
        if (queued) return;
        queued = true;
        counting = counting
          .then(async () => {
            queued = false;
            if (closed) return;
            const [inbox, unread] = await Promise.all([
              reviewer ? countPendingReviews(viewer) : null,
              unreadNotifications(viewer),
            ]);
            const key = `${inbox}/${unread}`;
            if (key !== last && !closed)
              controller.enqueue(
                encoder.encode(`data: ${JSON.stringify({ inbox, unread, changed: last !== "" })}\n\n`),
              );
            last = key;
          })
          .catch(() => undefined);
      };
      const off = await onReviewsChanged(viewer.workspace.id, count);
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
      signal.addEventListener("abort", () => stop());
      controller.enqueue(encoder.encode("retry: 2000\n\n"));
      count();
    },
    cancel() {
      stop();
    },
  });
}
