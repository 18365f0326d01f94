import { z } from "zod";
import { route } from "@/lib/api/route";
import { decideReview } from "@/lib/review/decide-review";
import { AppError } from "@/lib/errors/app-error";

const bulkSchema = z.object({
  ids: z.array(z.string().min(1).max(64)).min(1, "Select at least one review").max(200, "At most 200 at once"),
  outcome: z.enum(["approved", "rejected"]),
  comment: z.string().max(5000).default(""),
});

/**
 * Decides many reviews the same way, each exactly once; answers what happened to each (one
 * already decided by someone else does not stop the others).
 */
export const POST = route({ permission: "reviews:decide", body: bulkSchema }, async ({ ctx, body }) => {
  if (body.outcome === "rejected" && !body.comment.trim()) throw new AppError("bad_request", "body.comment: give a reason for rejecting.", { fields: [{ path: "body.comment", message: "Give a reason for rejecting" }] });
  // A few at a time: each is its own exactly-once decision.
  const results: ({ id: string; ok: true } | { id: string; ok: false; message: string })[] = new Array(body.ids.length);
  let next = 0;
  const lane = async () => {
    while (next < body.ids.length) {
      const i = next++;
      const id = body.ids[i]!;
      try {
        await decideReview(ctx, id, { outcome: body.outcome, comment: body.comment });
        results[i] = { id, ok: true };
      } catch (error) {
        results[i] = { id, ok: false, message: (error as Error).message };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, body.ids.length) }, lane));
  return { results, decided: results.filter((r) => r.ok).length };
});
