import { z } from "zod";
import { route } from "@/lib/api/route";
import { assignReview } from "@/lib/review/assign";
import { assignmentInputSchema } from "@/lib/schemas/review";

/** Claim a review, release it, or hand it to a person or a role. */
export const POST = route(
  { permission: "reviews:decide", params: z.object({ id: z.string().min(1).max(64) }), body: assignmentInputSchema },
  async ({ ctx, params, body }) => assignReview(ctx, params.id, body),
);
