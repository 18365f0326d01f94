import "server-only";
import { EventEmitter } from "node:events";
import { database } from "../db/client";
import { logger } from "../log/logger";

/**
 * "The reviews of workspace W changed" (one created, decided, or closed with its run), heard
 * by every process: NOTIFY on the database, fanned out here to open inbox streams.
 */
const CHANNEL = "flowdeck_reviews";
const holder = globalThis as unknown as { __flowdeckReviewHub?: EventEmitter; __flowdeckReviewListen?: Promise<void> };
const hub = () => (holder.__flowdeckReviewHub ??= new EventEmitter().setMaxListeners(0));

export function reviewsChanged(workspaceId: string): void {
  void database()
    .then((db) => db.notify(CHANNEL, workspaceId))
    .catch((error) => logger().warn({ err: error }, "could not announce a review change"));
}

export async function onReviewsChanged(workspaceId: string, listener: () => void): Promise<() => void> {
  holder.__flowdeckReviewListen ??= database()
    .then((db) => db.listen(CHANNEL, (ws) => hub().emit(ws)))
    .then(() => undefined)
    .catch((error) => {
      holder.__flowdeckReviewListen = undefined;
      throw error;
    });
  await holder.__flowdeckReviewListen;
  hub().on(workspaceId, listener);
  return () => hub().off(workspaceId, listener);
}
