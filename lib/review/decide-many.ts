import "server-only";
import type { Viewer } from "../auth/session";
import { AppError } from "../errors/app-error";
import type { BulkDecisionInput } from "../schemas/review";
import { decideReview } from "./decide-review";

export type BulkDecisionResult = { id: string; ok: true } | { id: string; ok: false; message: string };

/**
 * Decides many reviews the same way, each its own exactly-once decision, a few at a time;
 * answers what happened to each (one already decided by someone else does not stop the others).
 */
export async function decideMany(
  viewer: Viewer,
  input: BulkDecisionInput,
): Promise<{ results: BulkDecisionResult[]; decided: number }> {
  if (input.outcome === "rejected" && !input.comment.trim())
    throw new AppError("bad_request", "body.comment: give a reason for rejecting.", {
      fields: [{ path: "body.comment", message: "Give a reason for rejecting" }],
    });
  const results: BulkDecisionResult[] = new Array(input.ids.length);
  let next = 0;
  const lane = async () => {
    while (next < input.ids.length) {
      const i = next++;
      const id = input.ids[i]!;
      try {
        await decideReview(viewer, id, { outcome: input.outcome, comment: input.comment });
        results[i] = { id, ok: true };
      } catch (error) {
        results[i] = { id, ok: false, message: (error as Error).message };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, input.ids.length) }, lane));
  return { results, decided: results.filter((r) => r.ok).length };
}
