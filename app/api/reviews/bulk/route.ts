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
  const results = [];
  for (const id of body.ids) {
    try {
      await decideReview(ctx, id, { outcome: body.outcome, comment: body.comment });
      results.push({ id, ok: true as const });
    } catch (error) {
      results.push({ id, ok: false as const, message: (error as Error).message });
    }
  }
  return { results, decided: results.filter((r) => r.ok).length };
});
