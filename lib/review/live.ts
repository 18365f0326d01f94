import "server-only";
import { EventEmitter } from "node:events";
import { publishSoon, subscribe } from "../platform/channels";
import { processSingleton } from "../process/singleton";

/**
 * "The reviews of workspace W changed" (one created, decided, or closed with its run), heard
 * by every process on the `reviews` channel (lib/platform), fanned out here by workspace to
 * open inbox streams.
 */
const byWorkspace = () => processSingleton("review-streams", () => new EventEmitter().setMaxListeners(0));

export function reviewsChanged(workspaceId: string): void {
  publishSoon("reviews", workspaceId);
}

export async function onReviewsChanged(workspaceId: string, listener: () => void): Promise<() => void> {
  await processSingleton("reviews-listening", () => subscribe("reviews", (ws) => byWorkspace().emit(ws)));
  byWorkspace().on(workspaceId, listener);
  return () => void byWorkspace().off(workspaceId, listener);
}
