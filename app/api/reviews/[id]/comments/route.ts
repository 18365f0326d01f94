import { z } from "zod";
import { route } from "@/lib/api/route";
import { commentOnReview } from "@/lib/review/assign";
import { commentInputSchema } from "@/lib/schemas/review";

/** Add a comment to a review (before or after deciding). */
export const POST = route(
  { permission: "reviews:decide", params: z.object({ id: z.string().min(1).max(64) }), body: commentInputSchema },
  async ({ ctx, params, body }) => commentOnReview(ctx, params.id, body.body),
);
